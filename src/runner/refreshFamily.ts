/**
 * Refresh of one family for one pair over [from, to), in one transaction: for an in-engine family one
 * call of bqx.refresh_<family> (delete + insert of the range, partitions made on the way); for a
 * TypeScript family (technical_*) refreshTechnical. A SQL family is refreshable when
 * sql/functions/bqx.refresh_<family>.sql exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { Range } from '../cli/options.ts';
import { BqxError } from '../db/errors.ts';
import { SQL_DIR } from '../db/paths.ts';
import { quoteIdent } from '../db/quote.ts';
import { withTransaction } from '../db/tx.ts';
import { FAMILIES, family as familyDef } from '../features/catalog/index.ts';
import { pairInfo } from '../features/pairs.ts';
import { recordDefinition } from './recordDefinition.ts';
import { refreshTechnicalIn, TECHNICAL_FAMILIES } from './refreshTechnical.ts';

export function refreshableFamilies(): string[] {
  const files = new Set(fs.readdirSync(path.join(SQL_DIR, 'functions')));
  return FAMILIES.filter((f) => files.has(`bqx.refresh_${f.family}.sql`) || f.family in TECHNICAL_FAMILIES).map((f) => f.family);
}

export interface RefreshResult {
  family: string;
  pair: string;
  rows: number;
  seconds: number;
}

export async function refreshFamily(pool: pg.Pool, family: string, pair: string, range: Range): Promise<RefreshResult> {
  const t0 = performance.now();
  const { family: f, pair: p } = checkUnit(family, pair);
  const rows = await withTransaction(pool, (c) => refreshFamilyIn(c, f, p, range));
  return { family: f, pair: p, rows, seconds: (performance.now() - t0) / 1000 };
}

/** Validates a (family, pair) before any SQL is built: catalog names only, and a refresh implementation. */
export function checkUnit(family: string, pair: string): { family: string; pair: string } {
  const f = familyDef(family).family;
  const p = pairInfo(pair).pair;
  if (!refreshableFamilies().includes(f)) {
    throw new BqxError('BQX_USAGE', `family ${f} has no refresh function yet (no sql/functions/bqx.refresh_${f}.sql)`, {
      hint: `refreshable today: ${refreshableFamilies().join(', ')}`,
    });
  }
  return { family: f, pair: p };
}

/**
 * One family for one pair over [from, to) inside the caller's transaction; returns rows written. Every
 * path that writes family rows comes here, so the definition that computed them is recorded with them
 * (recordDefinition), in the same transaction.
 */
export async function refreshFamilyIn(c: pg.ClientBase, family: string, pair: string, range: Range): Promise<number> {
  const { family: f, pair: p } = checkUnit(family, pair);
  let rows: number;
  if (f in TECHNICAL_FAMILIES) rows = await refreshTechnicalIn(c, f, p, range);
  else {
    // The function name is built from a catalog family, then quoted: never from raw input.
    const r = await c.query<{ n: number }>(`select bqx.${quoteIdent(`refresh_${f}`)}($1, $2, $3) as n`, [
      p,
      new Date(range.from),
      new Date(range.to),
    ]);
    rows = Number(r.rows[0].n);
  }
  await recordDefinition(c, f, p, range.from, range.to);
  return rows;
}
