import { defineConfig } from 'vitest/config';
import { DEFAULT_SERVER_FILES, DEFAULT_SERVER_PROJECT } from './test/support/defaultServerProject.ts';
import { LongestFirstSequencer } from './test/support/LongestFirstSequencer.ts';

/**
 * The db suite on one server. `db` takes DATABASE_URL when set (else testcontainers, else embedded);
 * DEFAULT_SERVER_PROJECT ignores DATABASE_URL and runs its files (DEFAULT_SERVER_FILES: those whose outcome
 * can hang on the server's version) with it unset, on what a fresh machine gets. CI
 * (BQX_TEST_DEFAULT_SERVER_TOO=1) runs both in one vitest run, so one pool of workers keeps the cores busy
 * across both servers instead of two runs one after the other, each ending on its longest file.
 */
const dbProject = (name: string, setupFiles: string[] = [], include = ['test/db/**/*.test.ts']) => ({
  test: {
    name,
    include,
    environment: 'node',
    globalSetup: ['test/support/globalSetup.ts'],
    setupFiles,
    pool: 'forks' as const,
    // Generous for the same reason: the largest tests build datasets over a pair-month.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
const bothServers = Boolean(process.env.DATABASE_URL) && process.env.BQX_TEST_DEFAULT_SERVER_TOO === '1';

export default defineConfig({
  test: {
    // Each db test file clones its own database from the migrated template, so files run in
    // parallel; two workers match the two cores CI has (a db test's work is mostly its server's).
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    sequence: { sequencer: LongestFirstSequencer },
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
      dbProject('db'),
      ...(bothServers ? [dbProject(DEFAULT_SERVER_PROJECT, ['test/support/unsetDatabaseUrl.ts'], DEFAULT_SERVER_FILES)] : []),
    ],
  },
});
