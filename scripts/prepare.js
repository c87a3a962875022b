#!/usr/bin/env node
// `prepare` compiles src/ into lib/, precompiles the built-in theme and bundles the CLI into lib/bundle/ (`npm run build`). npm also runs it when
// a blog depends on an installed copy of blogbuild through a `file:` link (what `blogbuild init` writes); that
// copy already has lib/ (bundle included) and no TypeScript or rolldown, so it is left as it is.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const hasLib = existsSync(new URL('../lib/cli/index.js', import.meta.url));
// An installed copy (inside node_modules) ships lib/; compiling it would need our devDependencies.
if (hasLib && /[\\/]node_modules[\\/]/.test(new URL('.', import.meta.url).pathname)) process.exit(0);

const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  tsc = undefined;
}
if (!tsc || !existsSync(new URL('../tsconfig.json', import.meta.url))) {
  if (hasLib) process.exit(0);
  console.error('blogbuild: cannot compile src/ (TypeScript is not installed) and lib/ is missing; run npm install in the blogbuild folder');
  process.exit(1);
}
const cwd = new URL('..', import.meta.url);
const compiled = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit', cwd });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
// The built-in theme precompiled (a failure leaves templates to be compiled at run time, as before it existed).
spawnSync(process.execPath, ['scripts/precompile-theme.js'], { stdio: 'inherit', cwd });
// A failed bundle fails the install loudly; it leaves no lib/bundle/, so bin/blogbuild.js would still run lib/.
const bundled = spawnSync(process.execPath, ['scripts/bundle.js'], { stdio: 'inherit', cwd });
process.exit(bundled.status ?? 1);
