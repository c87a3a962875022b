#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled lib/ (built by `npm ci` through the prepare script).
import('../lib/cli/index.js').then(
  ({ main }) => main(process.argv),
  (cause) => {
    process.stderr.write(
      `blogbuild: cannot load lib/cli/index.js (${cause.message}).\nRun \`npm run build\` in the blogbuild folder to compile it.\n`,
    );
    process.exitCode = 1;
  },
);
