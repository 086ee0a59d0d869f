/**
 * The 30 technical indicators of one domain (catalog: src/features/catalog/technical.ts), computed bar by
 * bar in one pass with O(window) state, following TA-Lib's lookbacks, seeds and smoothing (spec section
 * 9): MACD first at bar 33 with its fast EMA seeded at bar 25, ADX first at bar 27, %K at bar 13.
 *
 * Where TA-Lib returns 0 or a constant for a zero denominator, the store stores NULL. "Zero" is TA-Lib's
 * own TA_IS_ZERO test, |d| < 1e-14: far below any real range of either domain (a rate-index tick is about
 * 1e-3, a BQX move about 1e-6), far above the rounding noise of a flat BQX stretch.
 *
 * Bars whose input is NULL (the first 15 bars of the BQX domain, a missing bqx row) produce NULLs and are
 * skipped: the indicators run over the non-NULL bars. technicalindicators supplies the SMAs (its SMA is
 * exact and resumable through nextValue); the rest are computed here because the library rounds RSI and
 * MFI to 2 decimals, skips an EMA seed of exactly 0 (which zero-centred BQX hits), seeds MACD and ADX
 * differently from TA-Lib, and has no guard for flat windows.
 */
import { SMA } from 'technicalindicators';
import { RollingWindow } from './RollingWindow.ts';
import { TaEma } from './TaEma.ts';

export const EPS = 1e-14;
export type Domain = 'rate' | 'bqx';
export interface TechBar {
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
}
/** Where OBV stands before the first bar the calculator sees (from the bars before the read start). */
export interface ObvStart {
  obv: number;
  lastClose: number | null;
}

const isZero = (d: number) => Math.abs(d) < EPS;
const ratio = (num: number, den: number) => (isZero(den) ? null : num / den);

/** technicalindicators' SMA, fed one value at a time. */
class LibSma {
  private readonly sma: SMA;
  constructor(period: number) {
    this.sma = new SMA({ period, values: [] });
  }
  next(x: number): number | null {
    return this.sma.nextValue(x) ?? null;
  }
}

export class TechnicalCalculator {
  /** non-NULL bars seen */
  private k = 0;
  private prevClose: number | null = null;
  private prevHigh = 0;
  private prevLow = 0;
  private readonly closes = new RollingWindow(13); // roc_12, momentum_10
  private readonly highs14 = new RollingWindow(14);
  private readonly lows14 = new RollingWindow(14);
  private readonly highs20 = new RollingWindow(20);
  private readonly lows20 = new RollingWindow(20);
  private readonly tp20 = new RollingWindow(20);
  private readonly absX14 = new RollingWindow(14);
  private readonly stochK = new RollingWindow(3);
  private readonly stochKNull = new RollingWindow(3);
  // RSI (TA-Lib: seed gain/loss averages over the first n changes, then Wilder)
  private readonly rsi = [14, 21].map((n) => ({ n, gain: 0, loss: 0 }));
  // MACD
  private readonly slow = new TaEma(26);
  private readonly fastSeed = new RollingWindow(12);
  private fast: number | null = null;
  private readonly signal = new TaEma(9);
  // ADX / DI (TA-Lib sums of the first period - 1 moves, then Wilder on sums)
  private pDM = 0;
  private mDM = 0;
  private tr14 = 0;
  private sumDX = 0;
  private adx: number | null = null;
  // ATR
  private readonly atr14 = new TaEma(14, 'wilder');
  private readonly atr20 = new TaEma(20, 'wilder');
  private readonly ema = [10, 20, 50].map((n) => new TaEma(n));
  private readonly sma = [10, 20, 50].map((n) => new LibSma(n));
  private readonly trix = [new TaEma(15), new TaEma(15), new TaEma(15)];
  private prevTrix: number | null = null;
  private readonly kcMid = new TaEma(20);
  // MFI
  private prevTp: number | null = null;
  private readonly flows = new RollingWindow(14); // signed: + positive flow, - negative flow, 0 none
  private readonly flowNull = new RollingWindow(14);
  private obv: number | null;
  private obvClose: number | null;
  private readonly ao5 = new LibSma(5);
  private readonly ao34 = new LibSma(34);

  constructor(
    private readonly domain: Domain,
    obvStart: ObvStart = { obv: 0, lastClose: null },
  ) {
    this.obv = obvStart.lastClose === null ? null : obvStart.obv;
    this.obvClose = obvStart.lastClose;
  }

  static readonly WIDTH = 30;

  private readonly out: Array<number | null> = new Array(TechnicalCalculator.WIDTH).fill(null);

  /** The 30 values of the bar, in catalog order; the array is reused by the next call (copy to keep it). */
  next(bar: TechBar): Array<number | null> {
    const out = this.out.fill(null);
    const { high: H, low: L, close: C } = bar;
    if (H === null || L === null || C === null) return out;
    const v = bar.volume;
    const k = this.k++;
    const first = k === 0;
    const pc = this.prevClose;

    // --- RSI 14 / 21 (columns 0, 1)
    if (!first) {
      const d = C - (pc as number);
      this.rsi.forEach((s, j) => {
        if (k <= s.n) {
          if (d < 0) s.loss -= d;
          else s.gain += d;
          if (k === s.n) {
            s.gain /= s.n;
            s.loss /= s.n;
          }
        } else {
          s.loss *= s.n - 1;
          s.gain *= s.n - 1;
          if (d < 0) s.loss -= d;
          else s.gain += d;
          s.loss /= s.n;
          s.gain /= s.n;
        }
        if (k >= s.n) {
          const r = ratio(s.gain, s.gain + s.loss);
          out[j] = r === null ? null : 100 * r;
        }
      });
    }

    // --- MACD (2, 3, 4): slow EMA26 seeded on bars 0..25, fast EMA12 seeded on bars 14..25 (TA-Lib)
    const slow = this.slow.next(C);
    this.fastSeed.push(C);
    if (k === 25) this.fast = this.fastSeed.sum() / 12;
    else if (k > 25) this.fast = (C - (this.fast as number)) * (2 / 13) + (this.fast as number);
    if (k >= 25) {
      const line = (this.fast as number) - (slow as number);
      const sig = this.signal.next(line);
      if (sig !== null) {
        out[2] = line;
        out[3] = sig;
        out[4] = line - sig;
      }
    }

    // --- Stochastic %K 14 (5), %D 3 (6), Williams %R 14 (11)
    this.highs14.push(H);
    this.lows14.push(L);
    let kNow: number | null = null;
    if (this.highs14.full) {
      const hh = this.highs14.max();
      const ll = this.lows14.min();
      const r = ratio(C - ll, hh - ll);
      kNow = r === null ? null : 100 * r;
      out[5] = kNow;
      const w = ratio(hh - C, hh - ll);
      out[11] = w === null ? null : -100 * w;
      this.stochK.push(kNow ?? 0);
      this.stochKNull.push(kNow === null ? 1 : 0);
      if (this.stochK.full && this.stochKNull.sum() === 0) out[6] = this.stochK.sum() / 3;
    }

    // --- true range, DM, ADX (7), +DI (8), -DI (9), ATR 14 (13), ATR% (14), Keltner ATR 20
    if (!first) {
      const diffP = H - this.prevHigh;
      const diffM = this.prevLow - L;
      let plus = 0;
      let minus = 0;
      if (diffM > 0 && diffP < diffM) minus = diffM;
      else if (diffP > 0 && diffP > diffM) plus = diffP;
      // TA-Lib TRUE_RANGE: max(H - L, |C_prev - H|, |C_prev - L|)
      let tr = H - L;
      const t2 = Math.abs((pc as number) - H);
      if (t2 > tr) tr = t2;
      const t3 = Math.abs((pc as number) - L);
      if (t3 > tr) tr = t3;
      if (k <= 13) {
        this.mDM += minus;
        this.pDM += plus;
        this.tr14 += tr;
      } else {
        this.mDM = this.mDM - this.mDM / 14 + minus;
        this.pDM = this.pDM - this.pDM / 14 + plus;
        this.tr14 = this.tr14 - this.tr14 / 14 + tr;
        if (!isZero(this.tr14)) {
          const mdi = 100 * (this.mDM / this.tr14);
          const pdi = 100 * (this.pDM / this.tr14);
          out[8] = pdi;
          out[9] = mdi;
          const sum = mdi + pdi;
          const dx = isZero(sum) ? null : 100 * (Math.abs(mdi - pdi) / sum);
          if (k <= 27) {
            if (dx !== null) this.sumDX += dx;
            if (k === 27) this.adx = this.sumDX / 14;
          } else if (dx !== null) {
            this.adx = ((this.adx as number) * 13 + dx) / 14;
          }
        } else if (k === 27) {
          this.adx = this.sumDX / 14;
        }
        if (k >= 27) out[7] = this.adx;
      }
      const atr = this.atr14.next(tr);
      if (atr !== null) {
        out[13] = atr;
        if (this.domain === 'rate') {
          const r = ratio(atr, C);
          out[14] = r === null ? null : r * 100;
        }
      }
      this.atr20.next(tr);
    }
    this.absX14.push(Math.abs(C));
    if (this.domain === 'bqx' && out[13] !== null && this.absX14.full) {
      const r = ratio(out[13] as number, this.absX14.sum() / 14);
      out[14] = r === null ? null : 100 * r;
    }

    // --- CCI 20 (10), Keltner (23, 24), Donchian (25, 26)
    const tp = (H + L + C) / 3;
    this.tp20.push(tp);
    if (this.tp20.full) {
      const avg = this.tp20.sum() / 20;
      let dev = 0;
      for (let i = 0; i < 20; i++) dev += Math.abs(this.tp20.at(i) - avg);
      const md = dev / 20;
      // a flat window is detected exactly: its computed mean deviation is rounding noise (TA-Lib's +-66.67)
      out[10] = this.tp20.max() === this.tp20.min() || isZero(md) ? null : (tp - avg) / (0.015 * md);
    }
    const mid = this.kcMid.next(tp);
    if (mid !== null && this.atr20.value !== null) {
      out[23] = mid + 2 * this.atr20.value;
      out[24] = mid - 2 * this.atr20.value;
    }
    this.highs20.push(H);
    this.lows20.push(L);
    if (this.highs20.full) {
      out[25] = this.highs20.max();
      out[26] = this.lows20.min();
    }

    // --- ROC 12 (12), momentum 10 (21)
    this.closes.push(C);
    if (k >= 12) {
      const c12 = this.closes.ago(12);
      if (this.domain === 'rate') {
        const r = ratio(C, c12);
        out[12] = r === null ? null : (r - 1) * 100;
      } else out[12] = C - c12;
    }
    if (k >= 10) out[21] = C - this.closes.ago(10);

    // --- EMA 10/20/50 (15-17), SMA 10/20/50 (18-20)
    this.ema.forEach((e, j) => {
      out[15 + j] = e.next(C);
    });
    this.sma.forEach((s, j) => {
      out[18 + j] = s.next(C);
    });

    // --- TRIX 15 (22): 1-bar change of the triple EMA, as a percentage in the rate domain
    const e1 = this.trix[0].next(C);
    const e2 = e1 === null ? null : this.trix[1].next(e1);
    const e3 = e2 === null ? null : this.trix[2].next(e2);
    if (e3 !== null && this.prevTrix !== null) {
      if (this.domain === 'rate') {
        const r = ratio(e3, this.prevTrix);
        out[22] = r === null ? null : (r - 1) * 100;
      } else out[22] = e3 - this.prevTrix;
    }
    this.prevTrix = e3;

    // --- MFI 14 (27): money flow of the typical price (rate) or tick volume (bqx), by the sign of dTP
    if (this.prevTp !== null) {
      const flow = v === null ? 0 : this.domain === 'rate' ? tp * v : v;
      this.flows.push(tp > this.prevTp ? flow : tp < this.prevTp ? -flow : 0);
      this.flowNull.push(v === null ? 1 : 0);
      if (this.flows.full && this.flowNull.sum() === 0) {
        let pos = 0;
        let neg = 0;
        for (let i = 0; i < 14; i++) {
          const f = this.flows.at(i);
          if (f > 0) pos += f;
          else neg -= f;
        }
        out[27] = pos + neg > 0 ? 100 * (pos / (pos + neg)) : null;
      }
    }
    this.prevTp = tp;

    // --- OBV (28): TA-Lib starts at the first bar's volume; a bar without volume adds nothing
    if (this.obv === null || this.obvClose === null) this.obv = v ?? 0;
    else if (v !== null && C > this.obvClose) this.obv += v;
    else if (v !== null && C < this.obvClose) this.obv -= v;
    this.obvClose = C;
    out[28] = v === null ? null : this.obv;

    // --- awesome oscillator (29): SMA5 - SMA34 of the median price
    const med = (H + L) / 2;
    const a5 = this.ao5.next(med);
    const a34 = this.ao34.next(med);
    if (a5 !== null && a34 !== null) out[29] = a5 - a34;

    this.prevClose = C;
    this.prevHigh = H;
    this.prevLow = L;
    return out;
  }
}
