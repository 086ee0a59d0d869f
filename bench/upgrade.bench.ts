/**
 * Issue 15: an upgrade that changes one family's definition on a populated store (28 pairs x July 2024,
 * every family). A copy of the repository alters the body of bqx.refresh_statistics_rate (the change a
 * release would ship); its `bqx migrate` runs on the store, then its `bqx refresh` (no range) catches up the
 * stale rows. Next to them, in the same run on the same store: `bqx migrate` with nothing to do (the fixed
 * cost of a migrate) and a fresh backfill of the same family over the whole month. Every step is the CLI
 * as a child process, as an operator runs it, so each pays the same start-up.
 * `npm run bench -- upgrade`; BENCH_UPGRADE_PAIRS=n (the first n pairs, default 28) and BENCH_UPGRADE_DAYS=d
 * (from 1 July, default the whole month) make a smaller store, to check that it runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../src/db/migrate.ts';
import { PAIR_NAMES } from '../src/features/pairs.ts';
import { ingestSource } from '../src/ingest/ingest.ts';
import { openSource } from '../src/ingest/openSource.ts';
import { refreshableFamilies } from '../src/runner/refreshFamily.ts';
import { outcomeError, runAndCheck } from '../src/runner/refreshUntilComplete.ts';
import { incrementalPlan } from '../src/runner/runPairs.ts';
import { synthToFile } from '../src/synth/synthesize.ts';
import { bqxCli, type CliResult } from '../test/support/cli.ts';
import { copyRepo } from '../test/support/repoCopy.ts';
import { dbUrl, freshDatabase, timed } from './support.ts';

const FAMILY = 'statistics_rate';

function ok(r: CliResult, what: string): CliResult {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr}`);
  return r;
}

export async function benchUpgrade() {
  const pairs = PAIR_NAMES.slice(0, Number(process.env.BENCH_UPGRADE_PAIRS ?? PAIR_NAMES.length));
  const days = Number(process.env.BENCH_UPGRADE_DAYS ?? 31);
  const from = Date.UTC(2024, 6, 1);
  const to = Date.UTC(2024, 6, 1 + days);
  const full = pairs.length === PAIR_NAMES.length && days === 31;
  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  // the runner bench's file when it is the full size (same seed and range)
  const file = path.join(os.tmpdir(), full ? 'bqx-bench-28x2024-07.csv' : `bqx-bench-upgrade-${pairs.length}x${days}d.csv`);
  if (!fs.existsSync(file)) await synthToFile(file, { seed: 3, from, to, pairs });
  const repo = copyRepo();
  const db = await freshDatabase();
  try {
    // the store: every family of the month, built by this checkout
    await migrate(db.pool);
    const ing = await ingestSource(db.pool, openSource(file));
    const families = refreshableFamilies();
    // incremental, as `bqx refresh` runs: it also settles the spans the ingest marked dirty, so the store
    // is up to date and the catch-up below finds only what the upgrade made stale
    const built = await runAndCheck(db.pool, pairs, incrementalPlan(families), {
      concurrency: 2,
      trigger: 'refresh',
      checkCompleteness: true,
    });
    if (outcomeError(built, 'refresh')) throw outcomeError(built, 'refresh');
    const url = dbUrl(db.name);
    const head = bqxCli();
    const release = bqxCli(repo.dir);
    const digest = async () =>
      (await db.pool.query(`select md5(string_agg(x::text, '|' order by pair, ts_utc)) as h from bqx.${FAMILY} x`)).rows[0].h as string;
    const before = await digest();

    // the baseline of a migrate: nothing to apply
    const noop = await timed(async () => ok(await head(url, 'migrate'), 'bqx migrate (nothing to do)'));
    // the release: one refresh function's body changed (a statement the values do not depend on, so the
    // catch-up must give the rows the backfill gives)
    const body = '  if v_lo is null then\n    return 0;\n  end if;\n';
    repo.edit(`sql/functions/bqx.refresh_${FAMILY}.sql`, body, `${body}  -- upgraded definition (bench/upgrade.bench.ts)\n  perform 1;\n`);
    const up = await timed(async () => ok(await release(url, 'migrate'), "the release's bqx migrate"));
    const status = JSON.parse(ok(await release(url, 'status', '--json'), 'bqx status').stdout) as {
      stale?: Array<{ family: string; rows: number }>;
    };
    const catchUp = await timed(async () =>
      ok(await release(url, 'refresh', '--pairs', pairs.join(','), '--json'), "the release's bqx refresh (catch-up)"),
    );
    const caught = JSON.parse(catchUp.value.stdout) as Array<{ family: string; rows: number }>;
    const afterCatchUp = await digest();
    const backfill = await timed(async () =>
      ok(
        await release(url, 'refresh', '--family', FAMILY, '--pairs', pairs.join(','), '--from', iso(from), '--to', iso(to), '--json'),
        `bqx refresh --family ${FAMILY} over the month`,
      ),
    );
    const filled = JSON.parse(backfill.value.stdout) as Array<{ rows: number }>;
    const afterBackfill = await digest();
    return {
      bars: ing.inserted,
      pairs: pairs.length,
      family: FAMILY,
      migrateNoopSeconds: noop.seconds,
      migrateSeconds: up.seconds,
      migrateMinusNoopSeconds: up.seconds - noop.seconds,
      // what `bqx status` listed as stale after the migrate (undefined before stale rows are tracked)
      staleEntries: status.stale?.length,
      staleRows: status.stale?.reduce((n, s) => n + s.rows, 0),
      staleFamilies: status.stale ? [...new Set(status.stale.map((s) => s.family))] : undefined,
      catchUpSeconds: catchUp.seconds,
      catchUpUnits: caught.length,
      catchUpFamilies: [...new Set(caught.map((u) => u.family))],
      catchUpRows: caught.reduce((n, u) => n + u.rows, 0),
      backfillSeconds: backfill.seconds,
      backfillUnits: filled.length,
      backfillRows: filled.reduce((n, u) => n + u.rows, 0),
      catchUpVsBackfill: catchUp.seconds / backfill.seconds,
      // the rows are those of the first build after each step (the change does not move a value)
      sameRows: before === afterCatchUp && afterCatchUp === afterBackfill,
    };
  } finally {
    await db.drop();
    repo.remove();
  }
}
