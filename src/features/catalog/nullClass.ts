/**
 * The one rule for which NULLs a column may have, read from its catalog entry. Each consumer applies
 * its own policy to the same classes:
 * - `bqx verify` (is the store healthy?) holds only `warmup` columns to its missing-share limit: a
 *   `data` column is NULL where the data makes it so (a zero denominator, a feed without bid/ask, a flat
 *   window), which says nothing about the store;
 * - `bqx dataset build` (is the column usable for a model?) holds `warmup` and `data` columns to
 *   `--max-missing`, and a `sparse` one only to having any value past warm-up.
 */
import type { ColumnDef } from './types.ts';

export type NullClass = 'warmup' | 'data' | 'sparse';

/** The NULL-rule wordings of the catalog that say the data decides (see each column's nullRule). */
const DATA_DEPENDENT = /NULL when|bid\/ask|NULL while|NULL on a|NULL after/;

export function nullClass(col: Pick<ColumnDef, 'nullRule' | 'sparse'>): NullClass {
  if (col.sparse) return 'sparse';
  return DATA_DEPENDENT.test(col.nullRule) ? 'data' : 'warmup';
}
