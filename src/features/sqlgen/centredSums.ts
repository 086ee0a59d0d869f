/**
 * Window sums that hold only the window's rows, about a value inside the window (issue 21), for any
 * series and products of series. The block sums of rolling.ts / multiRolling.ts anchor a window up to
 * 255 rows back and keep running sums over rows outside it, which loses accuracy as (D / sigma)^k when a
 * window's spread sigma is small next to its distance D from the anchor (near-flat windows on the tick
 * grid). Here, per window length W:
 *
 * - blocks of exactly W rows, numbered on the global row r; the anchor of a series is its value at the
 *   first row of t's block, which lies inside the window ending at t;
 * - the window is the prefix of t's block (running sums of products of d = x - a from its start) plus,
 *   unless t ends its block, the suffix of the previous block from t - W + 1 (running sums in reverse row
 *   order, of products of e = x - (the next block's first value), i.e. about the same anchor).
 *
 * No sum ever holds a row outside the window and every deviation is at most the window's range, so the
 * cancellation left in a central moment is bounded by the window's own shape (about 1e-13 relative for
 * W = 120), whatever the series did before. The price is two sorts per window length (presorted after the
 * first of each direction, see below).
 */
import { ITEM } from './layout.ts';
import { longArray } from './multiRolling.ts';

export interface CentredSeries {
  /** Name suffix of the series' columns: a<W><suffix>, d<W><suffix>, e<W><suffix>. */
  suffix: string;
  /** SQL over the source row. */
  expr: string;
  /** false: a factor taken as it is, with no anchor (a series whose level costs nothing, e.g. integer volumes). */
  anchored?: boolean;
}

export interface CentredTerm {
  /** Column names f<W>_<name> (prefix sums) and b<W>_<name> (suffix sums). */
  name: string;
  /** Suffixes of the series multiplied (repeat one for a power). */
  factors: string[];
}

export interface CentredSpec {
  windows: number[];
  series: CentredSeries[];
  /** Terms per window length (the same for every window when a plain list). */
  terms: CentredTerm[] | ((W: number) => CentredTerm[]);
  /**
   * Narrow output with the final window sums, for callers with many terms: every level selects only
   * these columns of the source (instead of *) and the anchors in `anchors`, the suffix sums of each W
   * come packed in one array bv<W> (one lag fetches them), and the result holds the window sums
   * themselves, cs<W>_<term> (no prefix or suffix sums ride further). When the window lengths nest (each
   * divides the next), one sort serves each direction (see nestedKeys).
   */
  packed?: {
    carry: string[];
    anchors: string[];
    /**
     * The first level's items (default: carry), yielding carry's columns: they may use window o, which
     * is (order by `order`) with a running frame (the anchors' lags and leads ignore frames).
     */
    first?: string[];
    /** o's order in the first level (default r; any key that orders the rows as r does). */
    order?: string;
  };
}

const termsOf = (spec: CentredSpec, W: number) => (typeof spec.terms === 'function' ? spec.terms(W) : spec.terms);

/**
 * Wraps `src` (rows with r and the series' inputs) in selects adding, per window length W and series,
 * the anchor a<W><suffix>, and per term the running sums f<W>_<name> and b<W>_<name>.
 */
export function centredSumsSql(src: string, spec: CentredSpec): string {
  const { windows } = spec;
  // the anchored series W's terms read (an anchor costs a lag and a lead, a deviation a column per sort)
  const used = (W: number) => spec.series.filter((s) => s.anchored !== false && termsOf(spec, W).some((t) => t.factors.includes(s.suffix)));
  const plain = new Map(spec.series.filter((s) => s.anchored === false).map((s) => [s.suffix, `(${s.expr})`]));
  const factor = (x: 'd' | 'e', W: number, f: string) => plain.get(f) ?? `${x}${W}${f}`;
  const anchors = windows.flatMap((W) =>
    used(W).flatMap((s) => [
      // the first value of r's block and of the next block (0 past the read: no complete window uses it)
      `coalesce(lag(${s.expr}, (r % ${W})::int) over o, 0) as a${W}${s.suffix}`,
      `coalesce(lead(${s.expr}, ${W} - (r % ${W})::int) over o, 0) as na${W}${s.suffix}`,
    ]),
  );
  const devs = windows.flatMap((W) =>
    used(W).flatMap((s) => [`${s.expr} - a${W}${s.suffix} as d${W}${s.suffix}`, `${s.expr} - na${W}${s.suffix} as e${W}${s.suffix}`]),
  );
  // a sum over only NULLs is NULL, not 0
  const runs = (dir: 'f' | 'b', x: 'd' | 'e') =>
    windows
      .flatMap((W) =>
        termsOf(spec, W).map(
          (t) => `coalesce(sum(${t.factors.map((f) => factor(x, W, f)).join(' * ')}) over ${dir}${W}, 0) as ${dir}${W}_${t.name}`,
        ),
      )
      .join(ITEM);
  // Reverse sums first, forward sums one level up: within each level the sort orders nest, so after the
  // first sort of a level the rows are already in the next window's order (presorted: an O(n) check). The
  // reverse windows partition by -(r / W) for the same reason: r descending is sorted for every W.
  const wins = (dir: 'f' | 'b') =>
    windows
      .map((W) =>
        dir === 'f'
          ? `f${W} as (partition by r / ${W} order by r rows between unbounded preceding and current row)`
          : `b${W} as (partition by -(r / ${W}) order by r desc rows between unbounded preceding and current row)`,
      )
      .join(ITEM);
  if (spec.packed) {
    const keep = [...spec.packed.carry, ...spec.packed.anchors].join(ITEM);
    const sumOf = (dir: 'f' | 'b', x: 'd' | 'e', W: number, t: CentredTerm) =>
      `coalesce(sum(${t.factors.map((f) => factor(x, W, f)).join(' * ')}) over ${dir}${W}, 0)`;
    const bPacks = windows
      .map((W) => `array[${longArray(termsOf(spec, W).map((t) => sumOf('b', 'e', W, t))).join(ITEM)}] as bv${W}`)
      .join(ITEM);
    // the window sum: t's block prefix, plus the previous block's suffix from t - W + 1 unless t ends its block
    const cs = windows
      .flatMap((W) =>
        termsOf(spec, W).map(
          (t, i) =>
            `(${sumOf('f', 'd', W, t)} + case when r % ${W} < ${W - 1} then (lag(bv${W}, ${W - 1}) over o)[${i + 1}] else 0 end) as cs${W}_${t.name}`,
        ),
      )
      .join(ITEM);
    const dCols = windows.flatMap((W) => used(W).map((s) => `d${W}${s.suffix}`)).join(ITEM);
    const nested = nestedKeys(windows);
    const winsP = (dir: 'f' | 'b') => (nested ? nested[dir] : wins(dir));
    // o reads the forward level's order when the keys nest (no sort), else r's
    const o = nested ? `o as (order by ${nested.fKey})` : 'o as (order by r)';
    return `(-- centred window sums cs<W>_<term>: prefix sums plus the previous block's packed suffix sums bv<W>
      select ${keep}, ${cs}
     from (select ${keep}, ${dCols}, ${bPacks}
           from (select ${keep}, ${devs.join(ITEM)}
                 from (select ${(spec.packed.first ?? spec.packed.carry).join(ITEM)}, ${anchors.join(ITEM)} from ${src} c0\n                       window o as (order by ${spec.packed.order ?? 'r'} rows between unbounded preceding and current row)) c1) c2
           window ${winsP('b')}) c3
     window ${winsP('f')}, ${o})`;
  }
  return `(-- centred window sums: prefix sums f<W>_<term>, suffix sums b<W>_<term>
      select *, ${runs('f', 'd')}
     from (select *, ${runs('b', 'e')}
           from (select *, ${devs.join(ITEM)}
                 from (select *, ${anchors.join(ITEM)} from ${src} c0 window o as (order by r)) c1) c2
           window ${wins('b')}) c3
     window ${wins('f')})`;
}

/**
 * The sum of a term over the W rows ending at the current one, in deviations from a<W><suffix>: the
 * prefix of t's block, plus the previous block's suffix from t - W + 1 (none when t ends its block).
 * Needs r and `window o as (order by r)` over the rows of centredSumsSql.
 */
export function centredWindowSum(W: number, term: string): string {
  return `(f${W}_${term} + case when r % ${W} < ${W - 1} then lag(b${W}_${term}, ${W - 1}) over o else 0 end)`;
}

/**
 * When every window length divides the next larger one, the blocks nest: r / W determines r / W' for
 * every W' > W, so partitioning by r / W is partitioning by (r / Wmax, ..., r / W), and ordering the rest
 * of a block by (r / W'', ..., r) for the smaller W'' is ordering it by r. Written that way, every window
 * of a direction has the same sort key, and the planner sorts once per direction instead of once per
 * window (each sort copies every row, presorted or not). The sums are the same rows in the same order.
 */
function nestedKeys(windows: number[]): { f: string; b: string; fKey: string } | null {
  const ws = [...windows].sort((a, b) => b - a);
  if (ws.some((W, i) => i > 0 && ws[i - 1] % W !== 0)) return null;
  const fk = [...ws.map((W) => `r / ${W}`), 'r'];
  const bk = [...ws.map((W) => `-(r / ${W})`), 'r desc'];
  const frame = 'rows between unbounded preceding and current row';
  const win = (dir: 'f' | 'b', keys: string[]) =>
    ws
      .map((W, i) => `${dir}${W} as (partition by ${keys.slice(0, i + 1).join(ITEM)} order by ${keys.slice(i + 1).join(ITEM)} ${frame})`)
      .join(ITEM);
  return { f: win('f', fk), b: win('b', bk), fKey: fk.join(ITEM) };
}
