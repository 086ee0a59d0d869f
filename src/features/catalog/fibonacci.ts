import { type ColumnDef, col, type FamilyDef } from './types.ts';

/** The swing windows (bars) and the retracement ratios of fibonacci_features. */
export const FIB_WINDOWS = [60, 240, 1440] as const;
export const FIB_LEVELS = [0.236, 0.382, 0.5, 0.618, 0.786] as const;

/** 236 for 0.236: the level's name in a column. */
export const fibLevelTag = (r: number) => String(Math.round(r * 1000)).padStart(3, '0');

const conv =
  'H_W = max high_index, L_W = min low_index over the W bars ending at t (current bar included); level_r = H_W - r * (H_W - L_W), the retracement from the swing high';

// Not laggable by default: spec section 7's default lag set is bollinger, statistics, volume and spread
// (139 columns); a dataset can still lag these by choosing its lag families.
const columns: ColumnDef[] = [
  ...FIB_WINDOWS.flatMap((W) => [
    ...FIB_LEVELS.map((r) =>
      col(`fib_dist_${fibLevelTag(r)}_${W}`, 'rate', W, `(I - level_${r}) / I, I = rate_index(t)`, {
        convention: conv,
        nullRule: `NULL until ${W} bars exist (0 on a flat window, where every level is I)`,
      }),
    ),
    col(`fib_position_${W}`, 'rate', W, '(I - L_W) / (H_W - L_W): 0 at the swing low, 1 at the swing high', {
      convention: conv,
      nullRule: `NULL until ${W} bars exist or when the window is flat (H_W = L_W)`,
    }),
  ]),
  col(
    'fib_nearest_dist',
    'rate',
    Math.max(...FIB_WINDOWS),
    `(I - level*) / I, level* = the nearest to I of the ${FIB_WINDOWS.length * FIB_LEVELS.length} levels of windows ${FIB_WINDOWS.join(', ')} (ties: the shorter window, then the smaller ratio)`,
    {
      convention: conv,
      nullRule: `NULL until ${Math.max(...FIB_WINDOWS)} bars exist`,
    },
  ),
  col(
    'fib_nearest_level',
    'rate',
    Math.max(...FIB_WINDOWS),
    `the ratio r (${FIB_LEVELS.join(', ')}) of level*, the level fib_nearest_dist measures`,
    {
      convention: conv,
      nullRule: `NULL until ${Math.max(...FIB_WINDOWS)} bars exist`,
    },
  ),
];

/** Fibonacci retracements of the rolling swing range (spec section 11): 20 columns, pair-local. */
export const fibonacciFeatures: FamilyDef = {
  family: 'fibonacci_features',
  kind: 'sql',
  description: 'Fibonacci levels of the rolling swing high and low (60, 240, 1440 bars) and the rate index against them',
  dependsOn: ['m1'],
  lookbackBars: Math.max(...FIB_WINDOWS),
  countsAsFeature: true,
  columns,
};
