/**
 * O(n) rolling window sums over several series at once: the block machinery of rolling.ts generalised
 * to cross products (correlations, volume-weighted means) and to the row-weighted sums of OLS trends.
 *
 * Each series X is either anchored (d_X = X - a_X, a_X = the block's first value, for series whose
 * variance is small next to their level: rate index, spread, volume) or plain (d_X = X, for sums that
 * need no centring: up-volume, per-bar estimators). A term is a product of factors, each a series or
 * `rr` (the row in the block). Running sums of every term restart at each block start; a window of
 * W <= block rows ending at t is its part in t's block plus the previous block's part, shifted to the
 * current anchors by expanding prod (d_f + delta_f) over the previous part's rows, where delta_f =
 * a_prev - a for an anchored series, 0 for a plain one and -block for rr. The expansion needs the running
 * sums of the sub-products, which `requiredKeys` collects.
 *
 * Windows are complete or NULL: callers check per-series counts (exact integer running sums) before
 * using a window sum, since the expansion counts the previous part's rows as m = W - 1 - rr.
 */
export interface SeriesDef {
  name: string;
  /** SQL over the source row. */
  expr: string;
  anchored: boolean;
}

export interface MultiSpec {
  block: number;
  series: SeriesDef[];
  /** Terms (factor lists) needed per window. */
  windows: Array<{ W: number; terms: string[][] }>;
}

const keyOf = (factors: string[]) => [...factors].sort().join('_');

function delta(spec: MultiSpec, f: string): string | null {
  if (f === 'rr') return `(-${spec.block})`;
  const s = spec.series.find((x) => x.name === f);
  if (!s) throw new Error(`unknown factor ${f}`);
  return s.anchored ? `(pa_${f} - a_${f})` : null;
}

/** Subsets of a term's factors the previous-part expansion reads, with the factors left out. */
function expansion(spec: MultiSpec, factors: string[]): Array<{ kept: string[]; deltas: string[] }> {
  const out: Array<{ kept: string[]; deltas: string[] }> = [];
  for (let mask = 0; mask < 1 << factors.length; mask++) {
    const kept: string[] = [];
    const deltas: string[] = [];
    let zero = false;
    factors.forEach((f, i) => {
      if (mask & (1 << i)) kept.push(f);
      else {
        const d = delta(spec, f);
        if (d === null) zero = true;
        else deltas.push(d);
      }
    });
    if (!zero) out.push({ kept, deltas });
  }
  return out;
}

/** Every running-sum key the windows need, sub-products included. */
export function requiredKeys(spec: MultiSpec): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const w of spec.windows) {
    for (const t of w.terms) {
      for (const e of expansion(spec, t)) if (e.kept.length) keys.set(keyOf(e.kept), [...e.kept].sort());
    }
  }
  return keys;
}

const factorSql = (f: string) => (f === 'rr' ? 'rr' : `d_${f}`);

/**
 * Stage 1: the source with blk, rr, anchors a_X, deviations d_X and running sums c_<key>; `carry` columns
 * of the source ride along.
 */
export function multiBlockSumsSql(src: string, spec: MultiSpec, carry: string[]): string {
  const B = spec.block;
  const c = carry.length ? `, ${carry.join(', ')}` : '';
  const seriesCols = spec.series.map((s) => `${s.expr} as ${s.name}`).join(', ');
  const names = spec.series.map((s) => s.name).join(', ');
  const anchors = spec.series.filter((s) => s.anchored)
    .map((s) => `coalesce(first_value(${s.name}) over (partition by blk order by r), 0) as a_${s.name}`);
  const aCols = spec.series.filter((s) => s.anchored).map((s) => `a_${s.name}`);
  const devs = spec.series.map((s) => (s.anchored ? `${s.name} - a_${s.name} as d_${s.name}` : `${s.name} as d_${s.name}`));
  const dCols = spec.series.map((s) => `d_${s.name}`);
  // a sum over only NULLs is NULL, not 0
  const sums = [...requiredKeys(spec)].map(([k, fs]) => `coalesce(sum(${fs.map(factorSql).join(' * ')}) over bw, 0) as c_${k}`);
  const all = [`r, ts_utc${c}, ${names}, blk, rr`, ...aCols].join(', ');
  return `(select ${all}, ${dCols.join(', ')}, ${sums.join(', ')}
     from (select ${all}, ${devs.join(', ')}
           from (select r, ts_utc${c}, ${names}, blk, rr${anchors.length ? ', ' + anchors.join(', ') : ''}
                 from (select r, ts_utc${c}, ${seriesCols}, r / ${B} as blk, (r % ${B})::float8 as rr from ${src} m0) m1) m2) m3
     window bw as (partition by blk order by r rows between unbounded preceding and current row))`;
}

/** Stage 2 select items (need `window o as (order by r)`): lags at each W and the previous block's totals. */
export function multiLagItems(spec: MultiSpec): string[] {
  const keys = [...requiredKeys(spec).keys()];
  const items: string[] = [];
  for (const w of spec.windows) {
    const need = new Set<string>();
    for (const t of w.terms) for (const e of expansion(spec, t)) if (e.kept.length) need.add(keyOf(e.kept));
    for (const t of w.terms) need.add(keyOf(t));
    for (const k of need) items.push(`lag(c_${k}, ${w.W}) over o as l${w.W}_${k}`);
  }
  for (const k of keys) items.push(`lag(c_${k}, (rr::int) + 1) over o as p_${k}`);
  for (const s of spec.series.filter((x) => x.anchored)) items.push(`lag(a_${s.name}, (rr::int) + 1) over o as pa_${s.name}`);
  return items;
}

/** Stage 2 pass-through columns (the running sums and anchors the window expressions read). */
export function multiStage1Cols(spec: MultiSpec): string[] {
  return [
    ...[...requiredKeys(spec).keys()].map((k) => `c_${k}`),
    ...spec.series.filter((s) => s.anchored).map((s) => `a_${s.name}`),
    ...spec.series.map((s) => `d_${s.name}`),
  ];
}

/**
 * Stage 3 expression: the sum over the W rows ending at the current one of prod(d_f), in the current
 * block's anchors and row origin.
 */
export function windowSum(spec: MultiSpec, W: number, factors: string[]): string {
  if (W > spec.block) throw new Error(`window ${W} exceeds block ${spec.block}`);
  const k = keyOf(factors);
  const same = `(c_${k} - case when rr >= ${W} then l${W}_${k} else 0 end)`;
  const m = `(${W} - 1 - rr)`;
  const parts = expansion(spec, factors).map(({ kept, deltas }) => {
    const base = kept.length ? `(p_${keyOf(kept)} - l${W}_${keyOf(kept)})` : m;
    return [...deltas, base].join(' * ');
  });
  // The previous block contributes m = W - 1 - rr rows: none when rr >= W - 1 (where its lags may not
  // even exist, at the start of the series).
  return `(${same} + case when rr < ${W - 1} then ${parts.join(' + ')} else 0 end)`;
}

/** Count of non-zero flags over the rows ending at the current one, from a global running count k_<name>. */
export function windowCount(name: string, rows: number): string {
  return `(k_${name} - coalesce(lag(k_${name}, ${rows}) over o, 0))`;
}
