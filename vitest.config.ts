import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser, validator and npm-pack tests spawn heavy processes; two workers match the 2-core machines.
    maxWorkers: 2,
  },
});
