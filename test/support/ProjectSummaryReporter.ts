/**
 * One line per vitest project (unit, db, db-embedded) and one over all of them, for CI's log: which
 * server ran how many tests, in a run that holds both db projects (the JSON report does not name them).
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class ProjectSummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const by = new Map<string, { passed: number; failed: number; skipped: number }>();
    const all = { passed: 0, failed: 0, skipped: 0 };
    for (const m of modules) {
      const n = by.get(m.project.name) ?? { passed: 0, failed: 0, skipped: 0 };
      by.set(m.project.name, n);
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        const key = state === 'passed' ? 'passed' : state === 'failed' ? 'failed' : 'skipped';
        n[key]++;
        all[key]++;
      }
      // a file that failed before its tests ran (an import error) counts as a failure
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) {
        n.failed++;
        all.failed++;
      }
    }
    for (const [name, n] of [...by].sort()) process.stdout.write(`${name}: ${n.passed} passed, ${n.failed} failed, ${n.skipped} skipped\n`);
    process.stdout.write(`Tests: ${all.passed} passed, ${all.failed} failed, ${all.skipped} skipped\n`);
  }
}
