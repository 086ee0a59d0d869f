import { RollingWindow } from './RollingWindow.ts';

/**
 * TA-Lib's moving averages with an SMA seed: the first value is the mean of the first `period` inputs
 * (summed oldest first), then
 *   'ema':    ema = (x - ema) * k + ema, k = 2 / (period + 1)          (TA-Lib INT_EMA)
 *   'wilder': avg = (avg * (period - 1) + x) / period                 (TA-Lib ATR and RSI smoothing)
 * `next` returns null until the seed exists.
 */
export class TaEma {
  private readonly seed: RollingWindow;
  private readonly k: number;
  value: number | null = null;

  constructor(
    readonly period: number,
    private readonly mode: 'ema' | 'wilder' = 'ema',
  ) {
    this.seed = new RollingWindow(period);
    this.k = 2 / (period + 1);
  }

  next(x: number): number | null {
    if (this.value !== null) {
      this.value = this.mode === 'ema' ? (x - this.value) * this.k + this.value : (this.value * (this.period - 1) + x) / this.period;
      return this.value;
    }
    this.seed.push(x);
    if (this.seed.full) this.value = this.seed.sum() / this.period;
    return this.value;
  }
}
