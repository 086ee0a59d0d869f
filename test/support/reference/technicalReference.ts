/**
 * Independent reference for technical_rate / technical_bqx: whole-series arrays computed indicator by
 * indicator from TA-Lib's definitions (its C sources' lookbacks and seeds), with plain loops; zero
 * denominators (|d| < 1e-14, TA-Lib's TA_IS_ZERO) give NULL. Bars with a NULL input are dropped before
 * computing and get NULL rows, as the store does.
 */
import type { Row } from './bqxReference.ts';

type Num = number | null;
const Z = (d: number) => Math.abs(d) < 1e-14;
const nulls = (n: number): Num[] => new Array(n).fill(null);

/** SMA of the n values ending at i, summed oldest first. */
function smaAt(x: number[], i: number, n: number): number {
  let s = 0;
  for (let j = i - n + 1; j <= i; j++) s += x[j];
  return s / n;
}

/** TA-Lib EMA starting at `start` (first value = SMA of x[start-n+1..start]). */
function ema(x: Num[], n: number, start = n - 1): Num[] {
  const out = nulls(x.length);
  const k = 2 / (n + 1);
  for (let i = start; i < x.length; i++) {
    out[i] = i === start ? smaAt(x as number[], i, n) : ((x[i] as number) - (out[i - 1] as number)) * k + (out[i - 1] as number);
  }
  return out;
}

function trueRange(H: number[], L: number[], C: number[]): Num[] {
  return H.map((h, i) => (i === 0 ? null : Math.max(h - L[i], Math.abs(C[i - 1] - h), Math.abs(C[i - 1] - L[i]))));
}

/** Wilder average: SMA seed of x[from..from+n-1], then (prev (n-1) + x) / n. */
function wilder(x: Num[], n: number, from: number): Num[] {
  const out = nulls(x.length);
  const seedAt = from + n - 1;
  for (let i = seedAt; i < x.length; i++) {
    if (i === seedAt) {
      let s = 0;
      for (let j = from; j <= seedAt; j++) s += x[j] as number;
      out[i] = s / n;
    } else out[i] = ((out[i - 1] as number) * (n - 1) + (x[i] as number)) / n;
  }
  return out;
}

function compute(
  H: number[],
  L: number[],
  C: number[],
  V: Num[],
  domain: 'rate' | 'bqx',
  obv0: { obv: number; lastClose: number | null },
): Row[] {
  const n = C.length;
  const cols: Record<string, Num[]> = {};
  // RSI
  for (const p of [14, 21]) {
    const out = nulls(n);
    let g = 0,
      l = 0;
    for (let i = 1; i < n; i++) {
      const d = C[i] - C[i - 1];
      if (i <= p) {
        if (d < 0) l -= d;
        else g += d;
        if (i === p) {
          g /= p;
          l /= p;
        }
      } else {
        l *= p - 1;
        g *= p - 1;
        if (d < 0) l -= d;
        else g += d;
        l /= p;
        g /= p;
      }
      if (i >= p) out[i] = Z(g + l) ? null : 100 * (g / (g + l));
    }
    cols[`rsi_${p}`] = out;
  }
  // MACD: both EMAs start at bar 25, the signal at bar 33
  const slow = ema(C, 26, 25);
  const fast = ema(C, 12, 25);
  const line = C.map((_, i) => (i >= 25 ? (fast[i] as number) - (slow[i] as number) : null));
  const sig = ema(line, 9, 33);
  cols.macd_line = line.map((v, i) => (i >= 33 ? v : null));
  cols.macd_signal = sig;
  cols.macd_histogram = sig.map((s, i) => (s === null ? null : (line[i] as number) - s));
  // stochastic, Williams %R, Donchian
  const hh = (i: number, p: number) => Math.max(...H.slice(i - p + 1, i + 1));
  const ll = (i: number, p: number) => Math.min(...L.slice(i - p + 1, i + 1));
  cols.stoch_k_14 = C.map((c, i) => (i < 13 || Z(hh(i, 14) - ll(i, 14)) ? null : 100 * ((c - ll(i, 14)) / (hh(i, 14) - ll(i, 14)))));
  cols.stoch_d_3 = C.map((_, i) => {
    const k3 = [i - 2, i - 1, i].map((j) => (j >= 0 ? cols.stoch_k_14[j] : null));
    return k3.some((v) => v === null) ? null : (k3 as number[]).reduce((a, b) => a + b, 0) / 3;
  });
  cols.williams_r_14 = C.map((c, i) => (i < 13 || Z(hh(i, 14) - ll(i, 14)) ? null : -100 * ((hh(i, 14) - c) / (hh(i, 14) - ll(i, 14)))));
  cols.donchian_upper_20 = C.map((_, i) => (i < 19 ? null : hh(i, 20)));
  cols.donchian_lower_20 = C.map((_, i) => (i < 19 ? null : ll(i, 20)));
  // DM, TR, DI, ADX (TA-Lib ADX / PLUS_DI / MINUS_DI)
  const tr = trueRange(H, L, C);
  const pdi = nulls(n),
    mdi = nulls(n),
    adx = nulls(n);
  let sp = 0,
    sm = 0,
    st = 0,
    sumDX = 0,
    prevADX: Num = null;
  for (let i = 1; i < n; i++) {
    const dp = H[i] - H[i - 1];
    const dm = L[i - 1] - L[i];
    const plus = dp > 0 && dp > dm && !(dm > 0 && dp < dm) ? dp : 0;
    const minus = dm > 0 && dp < dm ? dm : 0;
    if (i <= 13) {
      sp += plus;
      sm += minus;
      st += tr[i] as number;
      continue;
    }
    sp = sp - sp / 14 + plus;
    sm = sm - sm / 14 + minus;
    st = st - st / 14 + (tr[i] as number);
    let dx: Num = null;
    if (!Z(st)) {
      pdi[i] = 100 * (sp / st);
      mdi[i] = 100 * (sm / st);
      const s = (pdi[i] as number) + (mdi[i] as number);
      dx = Z(s) ? null : 100 * (Math.abs((mdi[i] as number) - (pdi[i] as number)) / s);
    }
    if (i <= 27) {
      if (dx !== null) sumDX += dx;
      if (i === 27) prevADX = sumDX / 14;
    } else if (dx !== null) prevADX = ((prevADX as number) * 13 + dx) / 14;
    if (i >= 27) adx[i] = prevADX;
  }
  cols.adx_14 = adx;
  cols.plus_di_14 = pdi;
  cols.minus_di_14 = mdi;
  // CCI
  const TP = C.map((c, i) => (H[i] + L[i] + c) / 3);
  cols.cci_20 = TP.map((tp, i) => {
    if (i < 19) return null;
    const avg = smaAt(TP, i, 20);
    let md = 0;
    for (let j = i - 19; j <= i; j++) md += Math.abs(TP[j] - avg);
    md /= 20;
    const w = TP.slice(i - 19, i + 1);
    return Math.max(...w) === Math.min(...w) || Z(md) ? null : (tp - avg) / (0.015 * md);
  });
  // ROC, momentum
  cols.roc_12 = C.map((c, i) => (i < 12 ? null : domain === 'bqx' ? c - C[i - 12] : Z(C[i - 12]) ? null : (c / C[i - 12] - 1) * 100));
  cols.momentum_10 = C.map((c, i) => (i < 10 ? null : c - C[i - 10]));
  // ATR 14, ATR%
  const atr = wilder(tr, 14, 1);
  cols.atr_14 = atr;
  cols.atr_pct_14 = atr.map((a, i) => {
    if (a === null) return null;
    if (domain === 'rate') return Z(C[i]) ? null : (a / C[i]) * 100;
    let s = 0;
    for (let j = i - 13; j <= i; j++) s += Math.abs(C[j]);
    return Z(s / 14) ? null : 100 * (a / (s / 14));
  });
  // EMA, SMA
  for (const p of [10, 20, 50]) {
    cols[`ema_${p}`] = ema(C, p);
    cols[`sma_${p}`] = C.map((_, i) => (i < p - 1 ? null : smaAt(C, i, p)));
  }
  // TRIX
  const e1 = ema(C, 15);
  const e2 = ema(e1, 15, 28);
  const e3 = ema(e2, 15, 42);
  cols.trix_15 = e3.map((e, i) => {
    if (i < 43) return null;
    const p = e3[i - 1] as number;
    return domain === 'bqx' ? (e as number) - p : Z(p) ? null : ((e as number) / p - 1) * 100;
  });
  // Keltner
  const mid = ema(TP, 20);
  const atr20 = wilder(tr, 20, 1);
  cols.keltner_upper_20 = mid.map((m, i) => (atr20[i] === null ? null : (m as number) + 2 * (atr20[i] as number)));
  cols.keltner_lower_20 = mid.map((m, i) => (atr20[i] === null ? null : (m as number) - 2 * (atr20[i] as number)));
  // MFI
  cols.mfi_14 = TP.map((_, i) => {
    if (i < 14) return null;
    let pos = 0,
      neg = 0;
    for (let j = i - 13; j <= i; j++) {
      if (V[j] === null) return null;
      const flow = domain === 'rate' ? TP[j] * (V[j] as number) : (V[j] as number);
      if (TP[j] > TP[j - 1]) pos += flow;
      else if (TP[j] < TP[j - 1]) neg += flow;
    }
    return pos + neg > 0 ? 100 * (pos / (pos + neg)) : null;
  });
  // OBV
  let o = obv0.obv;
  let last = obv0.lastClose;
  cols.obv = C.map((c, i) => {
    if (last === null) o = V[i] ?? 0;
    else if (V[i] !== null && c > last) o += V[i] as number;
    else if (V[i] !== null && c < last) o -= V[i] as number;
    last = c;
    return V[i] === null ? null : o;
  });
  // awesome oscillator
  const med = H.map((h, i) => (h + L[i]) / 2);
  cols.awesome_oscillator = med.map((_, i) => (i < 33 ? null : smaAt(med, i, 5) - smaAt(med, i, 34)));
  return C.map((_, i) => Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v[i]])));
}

/** Rows aligned with the input bars; bars with a NULL input get all-NULL rows. */
export function technicalReference(
  bars: Array<{ h: Num; l: Num; c: Num; v: Num }>,
  domain: 'rate' | 'bqx',
  obv0 = { obv: 0, lastClose: null as number | null },
): Row[] {
  const idx = bars.map((b, i) => (b.h === null || b.l === null || b.c === null ? -1 : i)).filter((i) => i >= 0);
  const rows = compute(
    idx.map((i) => bars[i].h as number),
    idx.map((i) => bars[i].l as number),
    idx.map((i) => bars[i].c as number),
    idx.map((i) => bars[i].v),
    domain,
    obv0,
  );
  const out: Row[] = bars.map(() => ({}));
  const names = Object.keys(rows[0] ?? {});
  for (const r of out) for (const k of names) r[k] = null;
  idx.forEach((i, j) => {
    out[i] = rows[j];
  });
  return out;
}
