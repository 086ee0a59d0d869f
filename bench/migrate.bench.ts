/**
 * `bqx migrate` from an empty database (node-pg-migrate + sql/ apply with checksums + catalog sync),
 * next to executing the same migration SQL text directly, each on a fresh database, repeated.
 */
import fs from 'node:fs';
import path from 'node:path';
import { migrate } from '../src/db/migrate.ts';
import { MIGRATIONS_DIR } from '../src/db/paths.ts';
import { freshDatabase, median, timed } from './support.ts';

export async function benchMigrate(reps = 3) {
  const raw = fs
    .readdirSync(MIGRATIONS_DIR)
    .sort()
    .map((f) => fs.readFileSync(path.join(MIGRATIONS_DIR, f), 'utf8').split(/^-- Down Migration/m)[0])
    .join('\n');
  const bare: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < reps; i++) {
    const a = await freshDatabase();
    bare.push((await timed(() => a.pool.query(raw))).seconds);
    await a.drop();
    const b = await freshDatabase();
    full.push((await timed(() => migrate(b.pool))).seconds);
    await b.drop();
  }
  return { bareDdlSeconds: median(bare), migrateSeconds: median(full), ratio: median(full) / median(bare), samples: { bare, full } };
}
