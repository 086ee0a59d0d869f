/**
 * `bqx verify`: is the store healthy? Runs every sql/checks file (a SELECT whose rows are violations: zero
 * rows pass) and the checks that need TypeScript: per-feature missing share after warm-up, the plan's
 * regression criterion, and causality spot checks (a family recomputed, in a transaction that is rolled
 * back, on history truncated at sampled bars must give the stored values).
 */
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { loadSql } from '../db/loadSql.ts';
import { SQL_DIR } from '../db/paths.ts';
import { withClient } from '../db/tx.ts';
import { family as familyDef } from '../features/catalog/index.ts';
import { Prng } from '../synth/prng.ts';
import { refreshFamilyIn } from '../runner/refreshFamily.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export interface CheckResult {
  check: string;
  ok: boolean;
  violations: number;
  /** The failing rows (at most 20). */
  rows: unknown[];
  note?: string;
}

/** Bars of warm-up before missing shares count: the longest lookback (spread regime 240) plus the bqx offset. */
export const WARMUP_BARS = 260;
const MAX_MISSING = 0.01;
const REL = 1e-9;

async function sqlChecks(pool: pg.Pool): Promise<CheckResult[]> {
  const dir = path.join(SQL_DIR, 'checks');
  const out: CheckResult[] = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.sql')).sort()) {
    const rows = (await pool.query(fs.readFileSync(path.join(dir, f), 'utf8'))).rows;
    out.push({ check: f.replace(/\.sql$/, ''), ok: rows.length === 0, violations: rows.length, rows: rows.slice(0, 20) });
  }
  return out;
}

/** Columns whose NULLs depend on the data (a zero denominator, no bid/ask) are reported, not judged. */
const dataDependent = (nullRule: string) => /NULL when|bid\/ask|NULL while|NULL on a|NULL after/.test(nullRule);

async function missingShare(pool: pg.Pool): Promise<CheckResult> {
  const rows = (await pool.query(sql('missing_after_warmup'), [WARMUP_BARS])).rows;
  const bad = rows
    .filter((r) => Number(r.total) > 0 && !dataDependent(r.null_rule))
    .map((r) => ({ family: r.family, column: r.column_name, pair: r.pair, missingShare: 1 - Number(r.non_null) / Number(r.total) }))
    .filter((r) => r.missingShare >= MAX_MISSING);
  return {
    check: 'missing_share_after_warmup', ok: bad.length === 0, violations: bad.length, rows: bad.slice(0, 20),
    note: `features whose NULLs are not data-dependent, after each pair's first ${WARMUP_BARS} bars: missing share below ${MAX_MISSING * 100}%`,
  };
}

async function regressionCriterion(pool: pg.Pool): Promise<CheckResult> {
  const rows = (await pool.query(`select domain, window_name, sum(fits)::bigint as fits, sum(share_r2_above_0_7 * fits) / nullif(sum(fits), 0) as share from bqx.reg_r2_summary group by 1, 2 order by 1, 2`)).rows;
  const bad = rows.filter((r) => r.share === null || Number(r.share) <= 0.5);
  return { check: 'regression_r2_majority', ok: rows.length > 0 && bad.length === 0, violations: bad.length, rows: bad.slice(0, 20), note: "the plan's criterion: R^2 > 0.7 for the majority of fits, per domain and window" };
}

/** Sampled (pair, family, bar) triples; each recomputed on history ending at the bar, then rolled back. */
async function causality(pool: pg.Pool, samples: number, seed: number): Promise<CheckResult> {
  const families = (await pool.query(`select distinct family from bqx.watermarks where refreshed_through is not null and family <> 'labels' order by 1`)).rows.map((r) => r.family as string);
  const pairs = (await pool.query(`select distinct pair from bqx.watermarks where refreshed_through is not null order by 1`)).rows.map((r) => r.pair as string);
  const bad: unknown[] = [];
  let checked = 0;
  if (!families.length) return { check: 'causality_spot_checks', ok: true, violations: 0, rows: [], note: 'nothing refreshed yet' };
  const rng = new Prng(seed);
  await withClient(pool, async (c) => {
    for (let i = 0; i < samples; i++) {
      const fam = families[Math.floor(rng.next() * families.length)];
      const pair = pairs[Math.floor(rng.next() * pairs.length)];
      const pick = (await c.query(`select ts_utc from bqx.${fam} where pair = $1 order by ts_utc offset floor($2::float8 * (select count(*) from bqx.${fam} where pair = $1))::bigint limit 1`, [pair, rng.next()])).rows[0];
      if (!pick) continue;
      const t = (pick.ts_utc as Date).getTime();
      const cols = familyDef(fam).columns.map((x) => x.name);
      const stored = (await c.query(`select * from bqx.${fam} where pair = $1 and ts_utc = $2`, [pair, pick.ts_utc])).rows[0];
      // each column's scale: the median |value| over the 100 bars before (spec section 9: values that
      // cross zero are judged against their column's scale)
      const near = (await c.query(`select * from bqx.${fam} where pair = $1 and ts_utc <= $2 order by ts_utc desc limit 100`, [pair, pick.ts_utc])).rows;
      const scale = (col: string) => {
        const v = near.map((r) => Math.abs(r[col] as number)).filter((x) => Number.isFinite(x) && x > 0).sort((x, y) => x - y);
        return v.length ? v[Math.floor(v.length / 2)] : 0;
      };
      await c.query('begin');
      try {
        // a refresh ending at the bar reads nothing after it: the history truncated at t
        await refreshFamilyIn(c, fam, pair, { from: t - 3_600_000, to: t + 60_000 });
        const again = (await c.query(`select * from bqx.${fam} where pair = $1 and ts_utc = $2`, [pair, pick.ts_utc])).rows[0];
        checked++;
        for (const col of cols) {
          const a = stored[col] as number | null;
          const b = again?.[col] as number | null;
          const same = a === b || (a !== null && b !== null && Math.abs(a - b) <= REL * Math.max(Math.abs(a), scale(col)));
          if (!same) bad.push({ family: fam, pair, ts_utc: pick.ts_utc, column: col, stored: a, truncated: b });
        }
      } finally {
        await c.query('rollback');
      }
    }
  });
  return { check: 'causality_spot_checks', ok: bad.length === 0, violations: bad.length, rows: bad.slice(0, 20), note: `${checked} sampled bars recomputed on history ending at them (within ${REL} relative)` };
}

export async function verify(pool: pg.Pool, o: { samples?: number; seed?: number } = {}): Promise<{ ok: boolean; checks: CheckResult[] }> {
  const checks = [
    ...(await sqlChecks(pool)),
    await missingShare(pool),
    await regressionCriterion(pool),
    await causality(pool, o.samples ?? 12, o.seed ?? 1),
  ];
  return { ok: checks.every((c) => c.ok), checks };
}
