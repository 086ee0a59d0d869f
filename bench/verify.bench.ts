/**
 * Issue 22 item 3: `bqx verify` on the demo's store (28 pairs x July 2024, every family; built once by
 * bench/verifyStore.ts and reused), goal under 60 s. Baselines in the same run: a plain count(*) of every
 * table verify reads (one read of the store, the least any full check can cost), and the old missing-share
 * check, which called the family-wide bqx.feature_fill_after once per column (433 calls): one call per
 * family is timed and multiplied by the family's column count (running all 433 would take hours), and the
 * old regression query through bqx.reg_r2_summary. BQX_BENCH_VERIFY_QUICK=1 skips the old ones (the
 * count(*) baseline always runs).
 */
import { FAMILIES } from '../src/features/catalog/index.ts';
import { verify } from '../src/verify/verify.ts';
import { timed } from './support.ts';
import { openStore } from './verifyStore.ts';

export async function benchVerify() {
  const store = await openStore((m) => console.error(m));
  try {
    const pool = store.pool;
    const tables = ['m1', ...FAMILIES.filter((f) => f.family !== 'm1').map((f) => f.family)];
    const scan = await timed(async () => {
      for (const t of tables) await pool.query(`select count(*) from bqx.${t}`);
    });
    const checks: Array<{ check: string; status: string; seconds: number }> = [];
    const run = await timed(() =>
      verify(pool, {
        onCheck: (c) => {
          checks.push({ check: c.check, status: c.status, seconds: c.seconds });
          console.error(`${c.check}: ${c.status} ${c.seconds.toFixed(1)} s`);
        },
      }),
    );
    const quick = process.env.BQX_BENCH_VERIFY_QUICK === '1';
    const oldCalls: Array<{ family: string; columns: number; oneCallSeconds: number }> = [];
    for (const f of quick ? [] : FAMILIES.filter((x) => x.countsAsFeature)) {
      const one = await timed(() => pool.query(`select count(*) from bqx.feature_fill_after($1, 260)`, [f.family]));
      oldCalls.push({ family: f.family, columns: f.columns.length, oneCallSeconds: one.seconds });
      console.error(`old feature_fill_after(${f.family}): ${one.seconds.toFixed(1)} s x ${f.columns.length} columns`);
    }
    const oldMissingSeconds = oldCalls.reduce((s, c) => s + c.columns * c.oneCallSeconds, 0);
    const newMissing = checks.find((c) => c.check === 'missing_share_after_warmup')!.seconds;
    const oldRegression = quick
      ? { seconds: NaN }
      : await timed(() =>
          pool.query(
            `select domain, window_name, sum(fits), sum(share_r2_above_0_7 * fits) / nullif(sum(fits), 0) from bqx.reg_r2_summary group by 1, 2`,
          ),
        );
    return {
      store: store.name,
      verifySeconds: run.seconds,
      ok: run.value.ok,
      countScanSeconds: scan.seconds,
      verifyOverScan: run.seconds / scan.seconds,
      checks,
      missingShare: {
        newSeconds: newMissing,
        oldPerColumnSecondsExtrapolated: oldMissingSeconds,
        speedup: oldMissingSeconds / newMissing,
        oldCalls,
      },
      regression: { newSeconds: checks.find((c) => c.check === 'regression_r2_majority')!.seconds, oldViewSeconds: oldRegression.seconds },
    };
  } finally {
    await store.pool.end();
  }
}
