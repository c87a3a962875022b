#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled lib/ (built by `npm ci` through the prepare script). It runs the
// bundle in lib/bundle/ (scripts/bundle.js: far fewer files to load, so a faster start) when there is one, and
// the unbundled lib/cli/index.js otherwise, e.g. when bundling failed.
import { statSync } from 'node:fs';

const bundle = new URL('../lib/bundle/cli.js', import.meta.url);
const unbundled = () => import('../lib/cli/index.js');
// tsc rewrites every file of lib/ on each run, so a bundle older than lib/cli/index.js was made from older code
// (someone ran `tsc` without `npm run build`): run lib/ itself rather than stale code. Installed copies have equal
// mtimes (npm sets one date on every file of a package) and run the bundle.
const mtime = (url) => statSync(url, { throwIfNoEntry: false })?.mtimeMs;
const bundleTime = mtime(bundle);
const isBundleCurrent = bundleTime !== undefined && !(bundleTime < (mtime(new URL('../lib/cli/index.js', import.meta.url)) ?? 0));
const load = isBundleCurrent
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
