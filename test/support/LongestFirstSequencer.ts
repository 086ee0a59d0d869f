/**
 * Starts the longest db test files first, so the run does not end on one long file while the other
 * worker idles. A fresh clone (CI) has no vitest results cache, and vitest then orders by file size,
 * which starts upgrade.test.ts (one of the longest) near the end. The list holds the files measured
 * longest on PostgreSQL 15, longest first, hooks included (their beforeAll builds a store); a file not
 * in it keeps vitest's order after them. A stale list only costs time: every file still runs.
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const LONGEST_FIRST: readonly string[] = [
  'test/db/upgrade.test.ts',
  'test/db/lateHistory.test.ts',
  'test/db/cli.test.ts',
  'test/db/dataset.test.ts',
  'test/db/runner.test.ts',
  'test/db/definitions.test.ts',
  'test/db/monitor.test.ts',
  'test/db/spine.test.ts',
  'test/db/schemaEvolution.test.ts',
  'test/db/demo.test.ts',
  'test/db/schema.test.ts',
  'test/db/verify.test.ts',
  'test/db/serve.test.ts',
  'test/db/technical.test.ts',
  'test/db/features.test.ts',
  'test/db/correlation.test.ts',
  'test/db/analyst.test.ts',
  'test/db/ingestReliability.test.ts',
  'test/db/roles.test.ts',
  'test/db/runnerFailures.test.ts',
];

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (s: TestSpecification) => {
      const i = LONGEST_FIRST.indexOf(path.relative(root, s.moduleId).split(path.sep).join('/'));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    // stable: equal ranks (one file in two projects, the unlisted files) keep vitest's order
    return [...base].sort((a, b) => rank(a) - rank(b));
  }
}
