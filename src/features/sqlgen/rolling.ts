/**
 * SQL fragments for O(n) rolling windows in PostgreSQL, shared by the generated refresh functions.
 *
 * Postgres recomputes the whole frame of a float aggregate for every row (about 4 s per column per
 * pair-year at W = 120), so windows are built from running sums instead:
 *
 * - Rows are numbered r = 0, 1, ... over the pair's whole series (r is global, so block boundaries, and
 *   with them every bit of every value, do not depend on the refresh range) and cut into blocks of
 *   BLOCK = 128 rows. Within a block, running sums of d = y - a (a = the block's first value) restart at
 *   the block start: no sum ever spans more than 128 rows, which is what keeps the differences exact
 *   enough (spec section 9: global prefix sums lose 1e-9 after 20k bars and worse later).
 * - A window of W <= 128 rows ending at t spans t's block and at most the previous one; the previous
 *   block's part is its block total minus the running sum at t - W, shifted to the current anchor and
 *   row origin by the binomial identities in `windowSums`.
 * - Extremes use a sparse table: M_j = max over 2^j rows from r, built by doubling with lead(); a window
 *   max is greatest(M_j at t-W+1, M_j at t-2^j+1). All passes share one sort order.
 *
 * Why this and multiRolling.ts both exist: they are the same block method, but bqx and reg are computed
 * with this one's hand-expanded sums (its term order, hence its rounding). Porting them to the general
 * engine would change their bodies' tokens and possibly the last bits of their values, so it would be a
 * definition change of bqx and of the eight families reading it: a full recompute of every store for no
 * gain. New families use multiRolling.ts (or centredSums.ts where the block anchors lose accuracy).
 */
import { ITEM } from './layout.ts';
export const BLOCK = 128;

/** Power sums kept per row: d = y - a, and the row-weighted ones regressions need. */
export interface SumSpec {
  /** running sums to keep: 'n' (non-null count), 'd', 'dd', 'rd', 'rrd' */
  sums: Array<'n' | 'd' | 'dd' | 'ddd' | 'dddd' | 'rd' | 'rrd'>;
}

const EXPR: Record<string, string> = {
  n: '(y is not null)::int',
  d: 'd',
  dd: 'd * d',
  ddd: 'd * d * d',
  dddd: 'd * d * d * d',
  rd: 'rr * d',
  rrd: 'rr * rr * d',
};

/**
 * Stage 1: from `src(r, ts_utc, y)` to running sums within blocks.
 * Produces blk, rr (row in block), a (anchor), d, and c_<sum> columns.
 */
export function blockSumsSql(src: string, spec: SumSpec, extraCols: string[] = []): string {
  // extraCols ride along untouched (the sparse-table levels).
  const extra = extraCols.map((c) => `, ${c}`).join('');
  const running = spec.sums
    .map((s) => `coalesce(sum(${EXPR[s]}) over blk_w, 0) as c_${s}`) // a sum over only NULLs is NULL, not 0
    .join(',\n           ');
  return `
    (-- block running sums: blocks of ${BLOCK} rows, anchor a = the block's first value, d = y - a
     select r, ts_utc, y, blk, rr, a, d${extra},
           ${running}
     from (select r, ts_utc, y, blk, rr, a, y - a as d${extra}
           from (select r, ts_utc, y, r / ${BLOCK} as blk, (r % ${BLOCK})::float8 as rr,
                        coalesce(first_value(y) over (partition by r / ${BLOCK} order by r), 0) as a${extra}
                 from ${src} src0) a0) a1
     window blk_w as (partition by blk order by r rows between unbounded preceding and current row))`;
}

/**
 * Stage 2 select-list items: the running sums at r - W for a window of W rows ending at the current row,
 * named l<W>_<sum>. Requires `window o as (order by r)`.
 */
export function windowLagItems(W: number, spec: SumSpec): string[] {
  return spec.sums.map((s) => `lag(c_${s}, ${W}) over o as l${W}_${s}`);
}

/**
 * Stage 2 items shared by every window: the previous block's totals (p_<sum>) and anchor (pa), read at
 * the row just before the current block's start. The offset depends on the row, not on W.
 */
export function prevBlockItems(spec: SumSpec): string[] {
  return [...spec.sums.map((s) => `lag(c_${s}, (rr::int) + 1) over o as p_${s}`), 'lag(a, (rr::int) + 1) over o as pa'];
}

/**
 * Stage 3 expressions: the window sums of W rows ending at the current row, in the current block's
 * coordinates (anchor a, row origin at the block start). Returns SQL expressions keyed by sum.
 * same part: c - (rr >= W ? c(t-W) : 0); previous part (rr < W - 1): block total - c(t-W), m = W - rr - 1 rows,
 * shifted with delta = a_prev - a and e = rr_prev - BLOCK in [-m, -1]:
 *   sum d    = P_d + m delta
 *   sum dd   = P_dd + 2 delta P_d + m delta^2
 *   sum rd   = P_rd - B P_d + delta * (-m(m+1)/2)
 *   sum rrd  = P_rrd - 2 B P_rd + B^2 P_d + delta * m(m+1)(2m+1)/6
 */
export function windowSumExprs(W: number, spec: SumSpec): Record<string, string> {
  const has = (s: string) => spec.sums.includes(s as never);
  const same = (s: string) => `(c_${s} - case when rr >= ${W} then l${W}_${s} else 0 end)`;
  const part = (s: string) => `(p_${s} - l${W}_${s})`;
  const m = `(${W} - 1 - rr)`;
  const delta = '(pa - a)';
  const out: Record<string, string> = {};
  // The previous block contributes m = W - 1 - rr rows: none when rr >= W - 1 (where its lags may not
  // even exist, at the start of the series).
  if (has('n')) out.n = `(${same('n')} + case when rr < ${W - 1} then ${part('n')} else 0 end)`;
  if (has('d')) out.d = `(${same('d')} + case when rr < ${W - 1} then ${part('d')} + ${m} * ${delta} else 0 end)`;
  if (has('dd'))
    out.dd = `(${same('dd')} + case when rr < ${W - 1} then ${part('dd')} + 2 * ${delta} * ${part('d')} + ${m} * ${delta} * ${delta} else 0 end)`;
  // third and fourth powers: sum (d + delta)^k expanded binomially over the previous block's part
  if (has('ddd')) {
    out.ddd = `(${same('ddd')} + case when rr < ${W - 1} then ${part('ddd')} + 3 * ${delta} * ${part('dd')} + 3 * ${delta} * ${delta} * ${part('d')} + ${m} * ${delta} * ${delta} * ${delta} else 0 end)`;
  }
  if (has('dddd')) {
    out.dddd = `(${same('dddd')} + case when rr < ${W - 1} then ${part('dddd')} + 4 * ${delta} * ${part('ddd')} + 6 * ${delta} * ${delta} * ${part('dd')} + 4 * ${delta} * ${delta} * ${delta} * ${part('d')} + ${m} * ${delta} * ${delta} * ${delta} * ${delta} else 0 end)`;
  }
  if (has('rd'))
    out.rd = `(${same('rd')} + case when rr < ${W - 1} then ${part('rd')} - ${BLOCK} * ${part('d')} - ${delta} * ${m} * (${m} + 1) / 2 else 0 end)`;
  if (has('rrd')) {
    out.rrd = `(${same('rrd')} + case when rr < ${W - 1} then ${part('rrd')} - ${2 * BLOCK} * ${part('rd')} + ${BLOCK * BLOCK} * ${part('d')} + ${delta} * ${m} * (${m} + 1) * (2 * ${m} + 1) / 6 else 0 end)`;
  }
  return out;
}

/** The sparse-table level a window of W rows reads: 2^j <= W < 2^(j+1). */
export function sparseLevel(W: number): number {
  return Math.floor(Math.log2(W));
}

/**
 * Wraps a narrow source (r, ts_utc, y) in nested selects adding mx_j / mn_j for j = 1..J, where mx_j is
 * the max of y over rows [r, r + 2^j - 1] (NULLs ignored; the window counts reject incomplete windows),
 * then keeps only the levels in `keep` (level 0 is y itself). Narrow rows keep each pass cheap.
 */
export function sparseTableSql(src: string, J: number, keep: number[]): string {
  let sql = `(select r, ts_utc, y, y as mx_0, y as mn_0 from ${src} sp0)`;
  const carried = (j: number) => Array.from({ length: j + 1 }, (_, i) => i).filter((i) => i === j || keep.includes(i));
  for (let j = 1; j <= J; j++) {
    const step = 2 ** (j - 1);
    const prev = carried(j - 1)
      .filter((i) => i !== j - 1)
      .flatMap((i) => [`mx_${i}`, `mn_${i}`]);
    sql = `(select r, ts_utc, y, ${[...prev, `mx_${j - 1}`, `mn_${j - 1}`].join(ITEM)},
            greatest(mx_${j - 1}, lead(mx_${j - 1}, ${step}) over o) as mx_${j}, least(mn_${j - 1}, lead(mn_${j - 1}, ${step}) over o) as mn_${j}
       from ${sql} sp${j} window o as (order by r))`;
  }
  const kept = keep.flatMap((i) => [`mx_${i}`, `mn_${i}`]);
  return `(-- sparse table of window extremes: mx_j / mn_j over 2^j rows from r
      select r, ts_utc, y, ${kept.join(ITEM)} from ${sql} spk)`;
}

/** Window max/min of W rows ending `offset` rows before the current one (offset 0: ending at t). */
export function windowExtremeItems(W: number, offset: number, name: string): string[] {
  const j = sparseLevel(W);
  const far = W - 1 + offset;
  const near = 2 ** j - 1 + offset;
  return [
    `greatest(lag(mx_${j}, ${far}) over o, lag(mx_${j}, ${near}) over o) as ${name}_max`,
    `least(lag(mn_${j}, ${far}) over o, lag(mn_${j}, ${near}) over o) as ${name}_min`,
  ];
}
