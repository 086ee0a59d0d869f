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
 * This is the engine for new families; rolling.ts stays only for bqx and reg (why: its header).
 */
import { ITEM } from './layout.ts';
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
  /** Global running counts k_<name> of the source, packed for windowCount. */
  counts?: readonly string[];
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

/** Position (1-based) of each running-sum key in the packed array cv. */
function keyIndex(spec: MultiSpec): Map<string, number> {
  return new Map([...requiredKeys(spec).keys()].map((k, i) => [k, i + 1]));
}
const anchoredNames = (spec: MultiSpec) => spec.series.filter((s) => s.anchored).map((s) => s.name);

/**
 * Stage 1: the source with blk, rr, anchors a_X, deviations d_X, and the running sums packed into one
 * array cv (and the anchors into av, the source's running counts into kv). Packing is for speed: each
 * lag() call costs about 0.1 us per row, and a family needs a hundred or more of them unpacked; packed,
 * one lag per distinct offset fetches every sum at once. `carry` columns of the source ride along.
 * The series and the packed arrays come first: a lag reads its column from a stored row, decoding every
 * column before it (a wide row's arrays and numerics cost a length walk each), and stage 2 lags the
 * series (spread: 59 lags of s) and the arrays.
 */
/**
 * A float8 array of at least 14 elements is over 126 bytes, so tuples keep its 4-byte header and a
 * subscript reads it in place; a shorter one is packed with a 1-byte header and copied by each read.
 */
export const LONG_ARRAY = 14;

/** `items` padded with zeros to LONG_ARRAY elements (the pads are never read). */
export function longArray(items: string[]): string[] {
  return items.length >= LONG_ARRAY ? items : [...items, ...Array(LONG_ARRAY - items.length).fill('0')];
}

export function multiBlockSumsSql(src: string, spec: MultiSpec, carry: string[]): string {
  const B = spec.block;
  const c = carry.length ? `, ${carry.join(ITEM)}` : '';
  const seriesCols = spec.series.map((s) => `${s.expr} as ${s.name}`).join(ITEM);
  const names = spec.series.map((s) => s.name).join(ITEM);
  const anchors = spec.series
    .filter((s) => s.anchored)
    .map((s) => `coalesce(first_value(${s.name}) over (partition by blk order by r), 0) as a_${s.name}`);
  const aCols = anchoredNames(spec).map((n) => `a_${n}`);
  const devs = spec.series.map((s) => (s.anchored ? `${s.name} - a_${s.name} as d_${s.name}` : `${s.name} as d_${s.name}`));
  const dCols = spec.series.map((s) => `d_${s.name}`);
  // a sum over only NULLs is NULL, not 0
  const sums = [...requiredKeys(spec)].map(([, fs]) => `coalesce(sum(${fs.map(factorSql).join(' * ')}) over bw, 0)`);
  const all = [`r, ts_utc${c}, ${names}, blk, rr`, ...aCols].join(ITEM);
  // padded to LONG_ARRAY: stage 2b reads each lagged kv several times, and an array of 13 or fewer float8s
  // is stored with a 1-byte header, which every subscript copies to a 4-byte one (detoast) before reading
  const kv = spec.counts?.length ? `, array[${longArray(spec.counts.map((k) => `k_${k}::float8`)).join(ITEM)}] as kv` : '';
  return `(-- multi-series block sums: running sums packed in cv, anchors in av, running counts in kv
      select r, ts_utc, ${names}, array[${sums.join(ITEM)}] as cv, array[${longArray(aCols.length ? aCols : ['0']).join(ITEM)}]::float8[] as av${kv},
            rr, ${[...aCols, ...carry].join(ITEM)}, blk, ${dCols.join(ITEM)}
     from (select ${all}, ${devs.join(ITEM)}
           from (select r, ts_utc${c}, ${names}, blk, rr${anchors.length ? ', ' + anchors.join(ITEM) : ''}
                 from (select r, ts_utc${c}, ${seriesCols}, r / ${B} as blk, (r % ${B})::float8 as rr from ${src} m0) m1) m2) m3
     window bw as (partition by blk order by r rows between unbounded preceding and current row))`;
}

/**
 * Stage 2 select items (need `window o as (order by r)`): the packed sums at each W, the previous
 * block's totals and anchors, and the packed counts at each offset `countRows` lists.
 */
export function multiLagItems(spec: MultiSpec, countRows: number[] = []): string[] {
  const items = spec.windows.map((w) => `lag(cv, ${w.W}) over o as lv${w.W}`);
  items.push('lag(cv, (rr::int) + 1) over o as pcv', 'lag(av, (rr::int) + 1) over o as pav');
  for (const n of [...new Set(countRows)]) items.push(`lag(kv, ${n}) over o as lk${n}`);
  return items;
}

/** Stage 2 pass-through columns (the running sums, anchors, counts and deviations later stages read). */
export function multiStage1Cols(spec: MultiSpec): string[] {
  return [
    'cv',
    ...(spec.counts?.length ? ['kv'] : []),
    ...anchoredNames(spec).map((n) => `a_${n}`),
    ...spec.series.map((s) => `d_${s.name}`),
  ];
}

/**
 * The running counts the given SQL reads, as 'rows:name' (from the lk<rows>_<name> columns windowCount
 * and countLag write): what stage 2b must unpack. Read from the expressions themselves, so no call order
 * matters and the spec is never written to.
 */
export function countsRead(spec: MultiSpec, sql: readonly string[]): Set<string> {
  const names = new Set(spec.counts ?? []);
  const out = new Set<string>();
  for (const text of sql) {
    for (const m of text.matchAll(/\blk(\d+)_([a-z0-9_]+?)\b/g)) if (names.has(m[2]!)) out.add(`${m[1]}:${m[2]}`);
  }
  return out;
}

/**
 * Stage 2b items: every packed value the window expressions read, unpacked once into its own column
 * (c_<key>, l<W>_<key>, p_<key>, pa_<X>, k_<count>, lk<rows>_<count>), the anchors a_<X> passed through.
 * Behind an `offset 0` fence, so the planner cannot substitute the subscripts back into the hundreds of
 * expressions that read them. `used`: the counts the later stages read (countsRead).
 */
export function multiUnpackItems(spec: MultiSpec, countRows: number[] = [], used: ReadonlySet<string> = new Set()): string[] {
  const idx = keyIndex(spec);
  const items = [...anchoredNames(spec).map((n) => `a_${n}`), ...[...idx].map(([k, i]) => `cv[${i}] as c_${k}`)];
  for (const w of spec.windows) {
    const need = new Set<string>();
    for (const t of w.terms) for (const e of expansion(spec, t)) if (e.kept.length) need.add(keyOf(e.kept));
    for (const t of w.terms) need.add(keyOf(t));
    for (const k of need) items.push(`lv${w.W}[${idx.get(k)}] as l${w.W}_${k}`);
  }
  for (const [k, i] of idx) items.push(`pcv[${i}] as p_${k}`);
  anchoredNames(spec).forEach((n, j) => void items.push(`pav[${j + 1}] as pa_${n}`));
  // only the counts the later stages read
  (spec.counts ?? []).forEach((c, j) => {
    if ([...used].some((u) => u.endsWith(`:${c}`))) items.push(`kv[${j + 1}] as k_${c}`);
    for (const n of [...new Set(countRows)]) if (used.has(`${n}:${c}`)) items.push(`lk${n}[${j + 1}] as lk${n}_${c}`);
  });
  return items;
}

/**
 * Stage 3 expression (over stage 2b): the sum over the W rows ending at the current one of prod(d_f), in
 * the current block's anchors and row origin.
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

function countName(spec: MultiSpec, name: string): string {
  if (!(spec.counts ?? []).includes(name)) throw new Error(`no running count ${name}`);
  return name;
}

/** Count of flagged rows among the `rows` ending at the current one, from the global running count k_<name>. */
export function windowCount(spec: MultiSpec, name: string, rows: number): string {
  const n = countName(spec, name);
  return `(k_${n} - coalesce(lk${rows}_${n}, 0))`;
}

/** The global running count k_<name> `rows` rows back (NULL before the read start). */
export function countLag(spec: MultiSpec, name: string, rows: number): string {
  return `lk${rows}_${countName(spec, name)}`;
}
