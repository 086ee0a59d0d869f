import { PAIR_NAMES } from '../pairs.ts';
import { CARRY_MINUTES } from './currencyStrength.ts';
import { type ColumnDef, col, type FamilyDef } from './types.ts';

const conv = `grid = the minutes at which any of the 28 pairs has a bar; a pair's price at a grid minute m is the close of its last bar at or before m, if that bar is at most ${CARRY_MINUTES} minutes old (never a later bar)`;

const columns: ColumnDef[] = [
  ...PAIR_NAMES.map((p) =>
    col(`ret_${p}`, 'rate', 2, `ln(close_${p}(m)) - ln(close_${p}(previous grid minute)): the aligned 1-minute log return`, {
      convention: conv,
      nullRule: `NULL when ${p} has no price at m or at the previous grid minute (0 while its last bar is carried)`,
    }),
  ),
  ...PAIR_NAMES.map((p) =>
    col(`close_${p}`, 'rate', null, `the close of ${p}'s last bar at or before m`, {
      convention: conv,
      nullRule: `NULL when ${p}'s last bar is more than ${CARRY_MINUTES} minutes old (or there is none)`,
    }),
  ),
];

/**
 * The aligned cross-section of the 28 pairs (Wave 3): one row per grid minute with every pair's close and
 * 1-minute log return as of its last bar, so a pair's correlation_features read it and their own bqx.m1
 * only, never another pair's tables. Keyed by ts_utc alone (partitioned by UTC month); like
 * currency_strength a small cross-sectional table (a Citus reference table when distributed).
 */
export const crossReturns: FamilyDef & { keyedBy: 'minute'; carryMinutes: number } = {
  family: 'cross_returns',
  kind: 'sql',
  keyedBy: 'minute',
  carryMinutes: CARRY_MINUTES,
  description: 'Every pair aligned on the grid minute as of its last bar: 28 closes and 28 one-minute log returns per minute',
  dependsOn: ['m1'],
  lookbackBars: 1,
  countsAsFeature: false,
  columns,
};
