/**
 * The dataset constants of spec section 7, in the catalog with the families they apply to: the lags the
 * lagged views and the dataset pipeline apply, the label horizons a dataset reads by default, and the
 * train / validation / test shares of the split (the manifest records these, the cuts are made from them).
 */

/** Lags in bars of the laggable features (bqx.lagged_features_{pair}, `bqx dataset build --lags`). */
export const LAGS = [60, 120, 180] as const;

/** The label horizons a dataset reads unless --horizons says otherwise (a subset of labels' HORIZONS). */
export const DEFAULT_HORIZONS = [15, 30, 45, 60] as const;

/** Shares of the pooled bars, in percent, in split order (train, validation, test): they sum to 100. */
export const SPLIT_PERCENT = [70, 15, 15] as const;

/** The shares as fractions, and the cut points (train's end, validation's end) as fractions of all bars. */
export const SPLIT_SHARES = SPLIT_PERCENT.map((p) => p / 100) as [number, number, number];
export const SPLIT_CUTS: [number, number] = [SPLIT_PERCENT[0] / 100, (SPLIT_PERCENT[0] + SPLIT_PERCENT[1]) / 100];
