/**
 * The bars of its inputs a refresh of `family` over [from, to) reads beyond the range: back, the lookback
 * its function passes to bqx.refresh_prepare plus the block it rounds down to (read from the generated
 * function, so it is what the SQL does), or the catalog's lookbackBars (the TypeScript warm-up); ahead,
 * the look-ahead of labels. Decides whether a refresh read rows of an older definition.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SQL_DIR } from '../db/paths.ts';
import { family as familyDef } from '../features/catalog/index.ts';

const cache = new Map<string, { back: number; ahead: number }>();

export function inputWindow(family: string): { back: number; ahead: number } {
  let w = cache.get(family);
  if (w) return w;
  const f = familyDef(family);
  const file = path.join(SQL_DIR, 'functions', `bqx.refresh_${f.family}.sql`);
  const m = fs.existsSync(file)
    ? /refresh_prepare\('[a-z_]+',\s*p_pair,\s*p_from,\s*p_to,\s*(\d+),\s*(\d+)\)/.exec(fs.readFileSync(file, 'utf8'))
    : null;
  w = { back: m ? Number(m[1]) + Number(m[2]) : f.lookbackBars, ahead: f.lookaheadBars ?? 0 };
  cache.set(family, w);
  return w;
}
