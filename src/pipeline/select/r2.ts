/** Coefficient of determination, 1 - SSres/SStot, over rows where both values exist. */
export function r2(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  let n = 0;
  let mean = 0;
  for (let i = 0; i < y.length; i++)
    if (!Number.isNaN(y[i]) && !Number.isNaN(pred[i])) {
      n++;
      mean += (y[i] - mean) / n;
    }
  let ss = 0;
  let st = 0;
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(y[i]) || Number.isNaN(pred[i])) continue;
    ss += (y[i] - pred[i]) ** 2;
    st += (y[i] - mean) ** 2;
  }
  return st > 0 ? 1 - ss / st : NaN;
}
