import type { Command } from 'commander';
import { BqxError } from '../../db/errors.ts';
import { type CheckResult, VerifyInterrupted, verify } from '../../verify/verify.ts';
import { withDatabase } from '../context.ts';
import { parseIntOption } from '../options.ts';
import { type GlobalOptions, printResult, table } from '../output.ts';

const SIGNALS = { SIGINT: 2, SIGTERM: 15 } as const;

/** One line per finished check on stderr: text, or a JSON line under --json. */
function progressLine(o: GlobalOptions, c: CheckResult, done: number, total: number): string {
  if (o.json)
    return JSON.stringify({
      event: 'check',
      check: c.check,
      status: c.status,
      violations: c.violations,
      seconds: Number(c.seconds.toFixed(3)),
      done,
      total,
    });
  const what = c.status === 'fail' ? `FAIL (${c.violations} violation(s))` : c.status;
  return `verify [${String(done).padStart(String(total).length)}/${total}] ${c.check}: ${what} in ${c.seconds.toFixed(1)} s`;
}

export function register(program: Command): void {
  program
    .command('verify')
    .description(
      'is the store healthy: sql/checks (rows = violations), missing shares after warm-up, causality spot checks; the regression criterion is reported as information. Exit 8 on any failing check, with the failing rows. A line per check on stderr; SIGINT/SIGTERM cancel the running queries on the server',
    )
    .option('--samples <n>', 'bars sampled for the causality spot checks', '12')
    .option('--seed <n>', 'seed of the sampling', '1')
    .option('--concurrency <n>', 'checks run at once, each on its own session', '2')
    .option('--statement-timeout <seconds>', 'longest a single check query may run (0: no limit)', '900')
    .option('--json', 'print the result as JSON (progress as JSON lines on stderr)')
    .action(async (o: GlobalOptions & { samples: string; seed: string; concurrency: string; statementTimeout: string }) => {
      const samples = parseIntOption('--samples', o.samples, 0);
      const seed = parseIntOption('--seed', o.seed, 0);
      const concurrency = parseIntOption('--concurrency', o.concurrency, 1);
      const statementTimeoutMs = parseIntOption('--statement-timeout', o.statementTimeout, 0) * 1000;
      const stop = new AbortController();
      const onSignal = (s: keyof typeof SIGNALS) => () => stop.abort(s);
      const handlers = Object.fromEntries(Object.keys(SIGNALS).map((s) => [s, onSignal(s as keyof typeof SIGNALS)]));
      for (const [s, h] of Object.entries(handlers)) process.once(s, h);
      try {
        await withDatabase(o, async (db) => {
          const r = await verify(db.pool, {
            samples,
            seed,
            concurrency,
            statementTimeoutMs,
            signal: stop.signal,
            onCheck: (c, done, total) => process.stderr.write(progressLine(o, c, done, total) + '\n'),
          });
          printResult(o, r, () =>
            [
              table(
                r.checks.map((c) => ({
                  check: c.check,
                  result: c.status === 'fail' ? 'FAIL' : c.status,
                  violations: c.violations,
                  seconds: c.seconds.toFixed(1),
                  note: c.note ?? '',
                })),
                ['check', 'result', 'violations', 'seconds', 'note'],
              ),
              ...r.checks
                .filter((c) => !c.ok)
                .flatMap((c) => [
                  ``,
                  `${c.check}: ${c.violations} violation(s), first ones:`,
                  ...c.rows.slice(0, 10).map((x) => `  ${JSON.stringify(x)}`),
                ]),
              ``,
              `${r.checks.length} checks in ${r.seconds.toFixed(1)} s`,
            ].join('\n'),
          );
          if (!r.ok) {
            const failed = r.checks.filter((c) => !c.ok).map((c) => c.check);
            const e = new BqxError('BQX_VERIFY', `verify failed: ${failed.join(', ')}`, { hint: 'the failing rows are listed above' });
            if (!o.json) process.stderr.write(`bqx: ${e.code}: ${e.message}\nhint: ${e.hint}\n`);
            process.exitCode = 8;
          }
        });
      } catch (err) {
        if (!(err instanceof VerifyInterrupted)) throw err;
        const sig = String(stop.signal.reason) as keyof typeof SIGNALS;
        process.stderr.write(
          o.json ? JSON.stringify({ event: 'interrupted', signal: sig, cancelled: err.cancelled }) + '\n' : `bqx: ${err.message}\n`,
        );
        process.exitCode = 128 + (SIGNALS[sig] ?? 2);
      } finally {
        for (const [s, h] of Object.entries(handlers)) process.off(s, h);
      }
    });
}
