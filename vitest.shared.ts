import { defineConfig } from 'vitest/config';

/**
 * One vitest setup for every package. Each package also writes a JSON report that
 * scripts/test-summary.mjs folds into a single "N passed, N failed" line for CI.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real registries; two cores cannot run many at once.
    maxWorkers: 2,
    reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
  },
});
