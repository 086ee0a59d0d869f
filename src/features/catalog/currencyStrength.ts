import { type ColumnDef, col, type FamilyDef } from './types.ts';

/** A pair's last bar stands for it for at most this many minutes after its own (then it is missing). */
export const CARRY_MINUTES = 5;
/** Momentum windows and moving-average windows, in grid minutes (rows of the currency's series). */
export const STRENGTH_MOMENTUM = [15, 60, 240] as const;
export const STRENGTH_SMA = [15, 60] as const;

const conv = `grid = the minutes at which any of the 28 pairs has a bar; a pair's price at a grid minute m is the close of its last bar at or before m, if that bar is at most ${CARRY_MINUTES} minutes old (never a later bar); s = +1 where the currency is the base, -1 where it is the quote`;
const need7 = `NULL unless all 7 of the currency's pairs have a price at the minute (a bar within the last ${CARRY_MINUTES} minutes)`;

const columns: ColumnDef[] = [
  col(
    'strength_level',
    'rate',
    null,
    '(1/7) sum over the 7 pairs with the currency of s * ln(close): the log value of the currency against the other seven (up to a constant)',
    { convention: conv, nullRule: need7 },
  ),
  col(
    'strength_ret',
    'rate',
    2,
    'strength_level(m) - strength_level(previous grid minute) = the mean signed 1-minute log return against the other seven',
    { convention: conv, nullRule: `${need7}, at either minute` },
  ),
  ...STRENGTH_MOMENTUM.map((W) =>
    col(`strength_mom_${W}`, 'rate', W + 1, `strength_level(m) - strength_level(${W} grid minutes before)`, {
      convention: conv,
      nullRule: `${need7}, at either minute`,
    }),
  ),
  ...STRENGTH_SMA.map((W) =>
    col(`strength_sma_${W}`, 'rate', W, `mean of strength_level over the ${W} grid minutes ending at m`, {
      convention: conv,
      nullRule: `NULL until ${W} grid minutes with a level exist (any missing level in the window gives NULL)`,
    }),
  ),
  col('pairs_live', 'rate', null, 'how many of the 7 pairs have a bar at exactly m (the others are carried or missing)', {
    convention: conv,
    nullRule: 'never NULL',
  }),
];

/**
 * Currency strength (spec section 11): one series per currency, derived from all 28 pairs. Keyed by
 * (currency, ts_utc) instead of (pair, ts_utc), so it is not among the per-pair FAMILIES: it is the small
 * cross-sectional table the cross-pair families read (a Citus reference table when distributed).
 */
export const currencyStrength: FamilyDef & { keyedBy: 'currency'; carryMinutes: number } = {
  family: 'currency_strength',
  kind: 'sql',
  keyedBy: 'currency',
  carryMinutes: CARRY_MINUTES,
  description: 'Strength of each of the 8 currencies against the other seven, per minute, from all 28 pairs as of their last bar',
  dependsOn: ['m1'],
  lookbackBars: Math.max(...STRENGTH_MOMENTUM),
  countsAsFeature: false,
  columns,
};
