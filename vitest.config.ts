import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Each db test file clones its own database from the migrated template, so files run in
    // parallel; two workers match the two cores CI has.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Sized for a busy 2-core machine (a forest test takes ~2 s alone and 3x that under load);
          // a timeout is a hang detector here, never a speed assertion.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'db',
          include: ['test/db/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/globalSetup.ts'],
          pool: 'forks',
          // Generous for the same reason: the largest tests build datasets over a pair-month.
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
