import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { MissingToolsReporter } from './test/helpers/missing-tools-reporter.js';
import { findChromium, findJava, isCI, missingToolsError } from './test/helpers/tools.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium the browser tests launch; `null` when none starts (their tag skips them then). */
    chromiumPath: string | null;
    /** Whether `java` starts, for the Nu Html Checker (the `java` tag skips its test when it does not). */
    hasJava: boolean;
  }
}

const root = fileURLToPath(new URL('.', import.meta.url));
const chromium = findChromium();
const java = findJava();
const missing = [chromium, java].filter((tool) => tool.command === undefined);

// A green CI must mean the browser and validator tests ran: there a missing program fails the run, up front.
if (missing.length > 0 && isCI()) throw missingToolsError(missing);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: the pool and bundle tests take ~15 s on a quiet 2-core machine and over 60 s on a loaded one.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Browser, validator and npm-pack tests spawn heavy processes; two workers match the 2-core machines.
    maxWorkers: 2,
    // A file with `// @module-tag chromium`, or a suite with `{ tags: ['chromium'] }`, runs only when the program
    // starts; the reporter names what was skipped and how to enable it.
    tags: [
      { name: 'chromium', description: 'needs Chromium (axe, live reload)', skip: chromium.command === undefined },
      { name: 'java', description: 'needs Java (the Nu Html Checker)', skip: java.command === undefined },
    ],
    provide: { chromiumPath: chromium.command ?? null, hasJava: java.command !== undefined },
    reporters: ['default', new MissingToolsReporter(missing, root)],
  },
});
