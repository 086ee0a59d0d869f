/**
 * `bqx partitions ensure` for the plan's layout, 28 pairs x 25 months x all 14 families (9,800 monthly
 * partitions), next to the same number of bare `create table ... partition of` statements issued in the
 * same per-(family, pair) transactions, on fresh migrated databases in the same run.
 */

import { migrate } from '../src/db/migrate.ts';
import { FAMILY_NAMES } from '../src/features/catalog/index.ts';
import { PAIR_NAMES } from '../src/features/pairs.ts';
import { ensurePartitions } from '../src/runner/partitions.ts';
import { freshDatabase, timed } from './support.ts';

export async function benchPartitions() {
  const range = { from: Date.UTC(2024, 0, 1), to: Date.UTC(2025, 11, 1) };
  const bare = await freshDatabase();
  await migrate(bare.pool);
  const months: Array<[string, string, string]> = [];
  for (let m = 0; m < 25; m++) {
    const a = new Date(Date.UTC(2024, m, 1));
    const b = new Date(Date.UTC(2024, m + 1, 1));
    months.push([`${a.getUTCFullYear()}_${String(a.getUTCMonth() + 1).padStart(2, '0')}`, a.toISOString(), b.toISOString()]);
  }
  const tBare = await timed(async () => {
    for (const f of FAMILY_NAMES) {
      for (const p of PAIR_NAMES) {
        const c = await bare.pool.connect();
        await c.query('begin');
        for (const [suffix, a, b] of months) {
          await c.query(`create table bqx."${f}_${p}_${suffix}" partition of bqx."${f}_${p}" for values from ('${a}') to ('${b}')`);
        }
        await c.query('commit');
        c.release();
      }
    }
  });
  await bare.drop();

  const db = await freshDatabase();
  await migrate(db.pool);
  const t = await timed(() => ensurePartitions(db.pool, FAMILY_NAMES, PAIR_NAMES, range, null));
  const created = t.value.reduce((n, r) => n + r.created, 0);
  const again = await timed(() => ensurePartitions(db.pool, FAMILY_NAMES, PAIR_NAMES, range, null));
  await db.drop();
  if (created !== 9800) throw new Error(`expected 9800 partitions, created ${created}`);
  return {
    partitions: created,
    bareCreateSeconds: tBare.seconds,
    ensureSeconds: t.seconds,
    ratio: t.seconds / tBare.seconds,
    ensureAgainNoopSeconds: again.seconds,
  };
}
