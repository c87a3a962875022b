#!/usr/bin/env node
// `node scripts/bundle.js` (part of `npm run build`, after tsc): bundles the compiled CLI and the markdown worker,
// with their dependencies, into lib/bundle/ with rolldown. Node then loads about twenty files instead of several
// hundred (unified, micromark and zod are each made of many small ES modules), which is much of a short rebuild's
// time. bin/blogbuild.js runs lib/bundle/cli.js when it exists, lib/cli/index.js otherwise; the library API
// (lib/index.js) stays unbundled.
//
// Code splitting stays on, so every `await import(...)` in our code remains a lazy chunk: a no-change rebuild
// does not load the markdown chunk, `blogbuild build` does not load the dev server, and so on. Every file is
// written flat in lib/bundle/, two folders below the package root like lib/cli/*.js, so the paths our modules
// make from `import.meta.url` (templates/, scaffold/, lib/markdown/ for cache salts) stay right.
//
// The old bundle is deleted first: if this script fails, bin falls back to lib/ instead of running stale code.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'lib', 'bundle');
fs.rmSync(outDir, { recursive: true, force: true });

function fail(message) {
  console.error(`blogbuild: bundling lib/ failed: ${message}`);
  fs.rmSync(outDir, { recursive: true, force: true });
  process.exit(1);
}

const { build } = await import('rolldown').catch((cause) => fail(`rolldown is not installed (${cause.message}); run npm install in the blogbuild folder`));

/**
 * Handlebars, gray-matter and js-yaml are CommonJS packages that our modules load synchronously and only when
 * needed, with `createRequire(import.meta.url)('name')`, which the bundler does not follow. Each such call is
 * pointed at `./name.cjs`, a one-file CommonJS bundle of that package written beside the chunks below: still
 * loaded lazily, but as one file instead of dozens.
 */
const lazyRequire = /\bcreateRequire\(import\.meta\.url\)\((['"])([^'"]+)\1\)/g;
const lazyPackages = new Set();
const rewritten = new Set();
const bundleLazyRequires = {
  name: 'blogbuild:lazy-requires',
  transform: {
    filter: { code: 'createRequire(import.meta.url)(' },
    handler(code, id) {
      const file = path.relative(root, id).split(path.sep).join('/');
      if (!file.startsWith('lib/')) return null;
      rewritten.add(file);
      return code.replace(lazyRequire, (_, quote, name) => {
        lazyPackages.add(name);
        return `createRequire(import.meta.url)(${quote}./${name}.cjs${quote})`;
      });
    },
  },
};

const problems = [];
/** Fails on what would leave a bare import in the bundle that may not resolve from lib/bundle/. */
function onLog(level, log, handler) {
  if (level === 'warn' && ['UNRESOLVED_IMPORT', 'MISSING_EXPORT'].includes(log.code)) problems.push(log.message);
  // gray-matter's optional `---js` front-matter engine uses eval; known and harmless to the bundle.
  else if (!(log.code === 'EVAL' && /gray-matter/.test(log.id ?? log.message))) handler(level, log);
}

try {
  await build({
    cwd: root,
    input: { cli: 'lib/cli/index.js', 'pool-worker': 'lib/markdown/pool-worker.js' },
    platform: 'node',
    plugins: [bundleLazyRequires],
    onLog,
    output: { dir: outDir, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
  });
  // The two modules that load CommonJS packages lazily must have been rewritten, or those packages are missing.
  for (const file of ['lib/content/front-matter.js', 'lib/render/compile-theme.js']) {
    if (!rewritten.has(file)) problems.push(`${file} has no createRequire(import.meta.url)('…') call to bundle`);
  }
  // The file Node's require() would load from lib/ (the `require` export condition, not the ESM build).
  const requireFromLib = createRequire(path.join(root, 'lib', 'index.js'));
  for (const name of lazyPackages) {
    await build({
      cwd: root,
      input: { [name]: requireFromLib.resolve(name) },
      platform: 'node',
      // js-yaml 3 (inside gray-matter) loads esprima (280 kB) for `!!js/function` tags, which only its full schema
      // parses; we give gray-matter our own YAML engine (js-yaml 4, core schema), so esprima is never used.
      resolve: { alias: { esprima: false } },
      onLog,
      output: { dir: outDir, format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
    });
  }
} catch (cause) {
  fail(cause.stack ?? String(cause));
}
if (problems.length > 0) fail(problems.join('\n'));
