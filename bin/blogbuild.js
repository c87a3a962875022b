#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled lib/ (built by `npm ci` through the prepare script). It runs the
// bundle in lib/bundle/ (scripts/bundle.js: far fewer files to load, so a faster start) when there is one, and
// the unbundled lib/cli/index.js otherwise, e.g. when bundling failed.
import { existsSync } from 'node:fs';

const bundle = new URL('../lib/bundle/cli.js', import.meta.url);
const unbundled = () => import('../lib/cli/index.js');
const load = existsSync(bundle)
  ? import(bundle.href).catch((cause) => {
      process.stderr.write(`blogbuild: cannot load lib/bundle/cli.js (${cause.message}); running lib/cli/index.js instead.\nRun \`npm run build\` in the blogbuild folder to rebuild the bundle.\n`);
      return unbundled();
    })
  : unbundled();
load.then(
  ({ main }) => main(process.argv),
  (cause) => {
    process.stderr.write(
      `blogbuild: cannot load lib/cli/index.js (${cause.message}).\nRun \`npm run build\` in the blogbuild folder to compile it.\n`,
    );
    process.exitCode = 1;
  },
);
