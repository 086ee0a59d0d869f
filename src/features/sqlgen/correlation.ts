/**
 * Generated SQL for correlation_features (catalog: src/features/catalog/correlation.ts): per pair, on the
 * pair's own bars, from the cross-section only (bqx.cross_returns, bqx.currency_strength), never from
 * another pair's tables.
 *
 * Windows count grid minutes, rows of the cross-section ordered by ts_utc, ending at the bar (every bar
 * is a grid minute): a value at t reads cross-section rows at or before t only. Which columns of the
 * cross-section a pair reads (its own, its 12 peers', its two legs') depends on the pair: the statement
 * reads each row's 28 returns and 28 closes as two arrays and takes the pair's positions in them (found
 * from bqx.pairs), so it is one static statement for every pair, planned once per session (PL/pgSQL's
 * plan cache; planning its hundreds of expressions costs about as much as a tick's refresh of a pair).
 *
 * Linear in bars (issue 17): every windowed value (corr, beta, the residual's mean and std) comes from the
 * window's sums n, Σr, Σr², Σx, Σx², Σrx per (own return r, series x) and Σtri, Σtri², with
 * PostgreSQL's float-aggregate semantics (corr and regr_slope NULL on a zero variance, stddev_pop), each
 * value NULL unless all W rows have both inputs (n = W). The sums hold only the window's rows:
 *
 * - Blocks of W epoch minutes (em / W, em = the row's minute since 1970): the epoch minute is the
 *   cross-section's key, so blocks never move when a row is added or removed (a late bar at a new minute
 *   renumbers nothing; the runner reaches no further than the windows over it, planCross.ts), and a
 *   value is the same whatever range a refresh covers: it reads its window's rows only (the anchors
 *   below are rows of the window too), so the read needs no block from its start.
 * - The window [s, t] of W rows, s = W - 1 rows back, spans t's block from its first row (forward running
 *   sums, fv) and, unless it is that whole block, s's block from s to its end (reverse running sums at s,
 *   lbv): k = 1 or 2 pieces. Rows are at most one per minute, so W rows span at least W - 1 minutes and
 *   reach at most one block back, unless minutes are missing inside the window (the weekend, a sparse
 *   stretch of the grid) and it spans a third block: k = 3. Those windows, few (for W = 240, Sunday's
 *   first two hours reaching over Friday's last, partial block), take the window aggregates of before
 *   over exactly their W rows, on the rows they read only: O(rows x W) for them alone.
 * - Numerics: the returns are summed as they are (about 1e-4 with a mean about 0, so Σr² - (Σr)²/W
 *   cancels nothing; a window of zero returns gives a variance of exactly 0, hence NULL as corr gives).
 *   tri_resid is summed as its deviation from the window's anchor, tri at the first row of t's block
 *   (inside the window; the reverse piece is taken about the same row, the first after s's block), so
 *   its level (a log gap with whatever offset the quotes carry) never meets the cancellation; its mean is
 *   anchor + mean deviation. A variance that rounds below 0 counts as 0. The values differ from the
 *   window aggregates' (Youngs-Cramer updates) in the last bits only: about 1e-12 relative on the test
 *   market, against the 1e-9 of the tests. That is still a definition change (its body's fingerprint): a
 *   store's rows computed before it are stale, and the definition catch-up recomputes them, so a store
 *   ends bit for bit as a clean build under this body would (no migration needed).
 *
 * Cheaper, the same bits (issue 20; every float operation as before, in the same order):
 * - one sort per direction for the three windows' running sums (the blocks nest: see fwin), and the
 *   lags that pick the reverse sums at s share the forward sort;
 * - the 21 counts packed 6 to a sum (integers in 8-bit fields: exact), 68 sums a window, not 85;
 * - the window's sum is fv + lw, one addition an element (lw is -0 where the window is t's block alone);
 * - the fallbacks (k = 3) read a narrow CTE of their inputs, not the wide rows of the sums (which
 *   PostgreSQL materialised, and spilled to disk, as a CTE read four times);
 * - the cross-section's two arrays built once a row (offset 0), not once a reference (28 of each);
 * - the peer summaries of the three windows in one unnest, as plain aggregates (no sort per aggregate).
 */
import { CORR_WINDOWS, correlationFeatures } from '../catalog/correlation.ts';
import { CURRENCIES, PAIR_NAMES } from '../pairs.ts';
import { lines } from './layout.ts';

const PEERS = 12;
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
/** `items` comma-separated, packed into lines of at most 100 characters, continued at `indent` spaces. */
function packed(items: readonly string[], indent: number): string {
  const out: string[] = [];
  for (const it of items) {
    const last = out.length - 1;
    if (last >= 0 && out[last]!.length + it.length + 2 <= 100) out[last] += `, ${it}`;
    else out.push(it);
  }
  return out.join(`,\n${' '.repeat(indent)}`);
}

/** The series the windows read besides r and tri: the 8 strength returns and the 12 peers' returns. */
const OTHERS = [...CURRENCIES.map((c) => `x_${c}`), ...range(PEERS).map((k) => `p${k}`)];

interface Term {
  name: string;
  /** the series multiplied (tri as its deviation from the window's anchor); empty for a count */
  factors: string[];
  /**
   * counts packed in one sum: count j, the rows where the series of present[j] are all present, in bits
   * 8j.. of an integer (each count is at most the window's rows, below 256, so no field carries into the
   * next, and every partial sum is an integer below 2^53, exact in float8 in any order)
   */
  present?: string[][];
}

/** The counts the windows need (the rows with r and the series, per series; tri's), 6 to a packed term. */
const COUNTS: { name: string; present: string[] }[] = [
  ...OTHERS.map((y) => ({ name: `n_${y}`, present: ['r', y] })),
  { name: 'n_tri', present: ['tri'] },
];
const PACK = 6;
/** where a count is: its packed term's name and its field */
const countAt = new Map(COUNTS.map((c, i) => [c.name, { term: `n${Math.floor(i / PACK)}`, field: i % PACK }]));

/** What every window sums: the shared own-return sums, then per currency and peer its pair sums and count, then tri's. */
function terms(): Term[] {
  const pairSums = (y: string): Term[] => [
    { name: y, factors: [y] },
    { name: `${y}${y}`, factors: [y, y] },
    { name: `r${y}`, factors: ['r', y] },
  ];
  return [
    { name: 'r', factors: ['r'] },
    { name: 'rr', factors: ['r', 'r'] },
    ...CURRENCIES.flatMap((c) => pairSums(`x_${c}`)),
    ...range(PEERS).flatMap((k) => pairSums(`p${k}`)),
    { name: 'tri', factors: ['tri'] },
    { name: 'tritri', factors: ['tri', 'tri'] },
    ...range(Math.ceil(COUNTS.length / PACK)).map((g) => ({
      name: `n${g - 1}`,
      factors: [],
      present: COUNTS.slice((g - 1) * PACK, g * PACK).map((c) => c.present),
    })),
  ];
}

/**
 * The INSERT, static: which pairs' columns it reads are positions in the row's arrays of the 28 returns
 * and closes (v_own, v_leg_x, v_leg_y, v_peer[k]), so one plan serves every pair and the function's
 * session keeps it (PL/pgSQL's plan cache: the statement is planned in about 0.1 s, a tick's refresh of a
 * pair runs in about that). $1..$10 are the function's variables (PARAMS).
 */
function template(): string {
  const T = terms();
  const idx = new Map(T.map((t, i) => [t.name, i + 1]));
  const blk = (W: number) => `em / ${W}`;
  // one factor of a term: the series' deviation from the anchor of the piece (d: t's block, e: the next block)
  // a factor of a term: the returns as they are (means about 0: their sums cancel nothing), tri as its
  // deviation from the window's anchor (t's block's first row: a for that block's part, na for the block before)
  const factor = (f: string, dev: 'a' | 'na', W: number) => (f === 'tri' ? `(tri - coalesce(${dev}${W}, 0))` : f);
  const product = (t: Term, dev: 'a' | 'na', W: number) =>
    t.present
      ? `(${t.present.map((p, j) => `(${p.map((f) => `${f} is not null`).join(' and ')})::int::int8${j ? ` * ${256 ** j}` : ''}`).join(' + ')})::float8`
      : t.factors.map((f) => factor(f, dev, W)).join(' * ');
  const packedSums = (dir: 'f' | 'b', dev: 'a' | 'na', W: number) =>
    `array[${T.map((t) => `coalesce(sum(${product(t, dev, W)}) over ${dir}${W}, 0)`).join(',\n                   ')}] as ${dir}v${W}`;
  const raw = ['r', 'tri', 'peers_live', 'tri_d1', ...OTHERS];
  // One sort per direction for the three windows: blocks nest (240 = 4 x 60 = 8 x 30), so the rows sorted
  // by (em / 240, em / 60, em / 30, em) are every window's block in em order, and each window partitions
  // by its block's prefix of those keys and orders by the rest: the same rows in the same order (em's), so
  // the same sums, as partitioning by its own block alone, without a sort per window. The reverse sums
  // likewise on the negated keys and em descending.
  const desc = [...CORR_WINDOWS].sort((a, b) => b - a);
  for (let j = 1; j < desc.length; j++) {
    if (desc[j - 1]! % desc[j]! !== 0) throw new Error(`correlation windows must nest: ${desc[j - 1]} is no multiple of ${desc[j]}`);
  }
  const fkeys = desc.map(blk);
  const bkeys = desc.map((W) => `-(${blk(W)})`);
  const split = (keys: string[], last: string, W: number) => {
    const j = desc.indexOf(W as (typeof desc)[number]);
    return `partition by ${keys.slice(0, j + 1).join(', ')} order by ${[...keys.slice(j + 1), last].join(', ')}`;
  };
  const fwin = (W: number) => `f${W} as (${split(fkeys, 'em', W)} rows between unbounded preceding and current row)`;
  const bwin = (W: number) => `b${W} as (${split(bkeys, 'em desc', W)} rows between unbounded preceding and current row)`;
  // the whole block in the reverse order: its last row there is its first in em order (the anchor a)
  const bwhole = (W: number) => `bw${W} as (${split(bkeys, 'em desc', W)} rows between unbounded preceding and unbounded following)`;
  // em order, as the forward windows sort the rows (the lags share their sort)
  const fo = `fo as (order by ${[...fkeys, 'em'].join(', ')})`;
  // the window's sum of a term: t's block from its first row (fv) and, if the window starts in an earlier
  // block, that block from s on (lbv, the reverse sums at s); NULL when the window lacks rows or spans more
  // (the second piece is lw: lbv where k = 2, -0 where k = 1, since x + -0 is x to the bit, -0 too;
  // NULL otherwise: one addition an element instead of a CASE)
  const S = (W: number, name: string) => `fv${W}[${idx.get(name)}] + lw${W}[${idx.get(name)}]`;
  const pieces = CORR_WINDOWS.map(
    (W) => `case k${W} when 1 then array_fill('-0'::float8, array[${T.length}]) when 2 then lbv${W} end as lw${W}`,
  );
  const sumCols = CORR_WINDOWS.flatMap((W) => T.map((t) => `${S(W, t.name)} as s${W}_${t.name}`));
  // central sums from the window sums (about an anchor inside the window: no long sums to cancel)
  const centred = (W: number, a: string, b: string) => `s${W}_${a === b ? `${a}${a}` : `${a}${b}`} - s${W}_${a} * s${W}_${b} / ${W}`;
  // a count from its packed sum (NULL where the sums are)
  const count = (W: number, name: string) => {
    const at = countAt.get(name)!;
    return at.field ? `(s${W}_${at.term}::int8 >> ${8 * at.field}) & 255` : `s${W}_${at.term}::int8 & 255`;
  };
  if (Math.max(...CORR_WINDOWS) > 255) throw new Error('a window of more than 255 rows overflows its packed count');
  const main = CORR_WINDOWS.flatMap((W) => [
    `${centred(W, 'r', 'r')} as v${W}_rr`,
    ...[...CURRENCIES.map((c) => `x_${c}`), ...range(PEERS).map((k) => `p${k}`)].flatMap((y) => [
      `${count(W, `n_${y}`)} as n${W}_${y}`,
      `${centred(W, y, y)} as v${W}_${y}${y}`,
      `${centred(W, 'r', y)} as v${W}_r${y}`,
    ]),
    `${count(W, 'n_tri')} as n${W}_tri`,
    `s${W}_tri / ${W} as d${W}_mtri`,
    `${centred(W, 'tri', 'tri')} as v${W}_tritri`,
  ]);
  // PostgreSQL's corr / regr_slope: NULL on a zero variance (here also on a rounding-negative one)
  const corrOf = (W: number, y: string) =>
    `case when v${W}_${y}${y} > 0 and v${W}_rr > 0 then v${W}_r${y} / sqrt(v${W}_${y}${y} * v${W}_rr) end`;
  const fromSums = CORR_WINDOWS.flatMap((W) => [
    ...CURRENCIES.flatMap((c) => [
      `n${W}_x_${c} as n_${c}_${W}`,
      `${corrOf(W, `x_${c}`)} as c_${c}_${W}`,
      `case when v${W}_x_${c}x_${c} > 0 then v${W}_rx_${c} / v${W}_x_${c}x_${c} end as b_${c}_${W}`,
    ]),
    ...range(PEERS).flatMap((k) => [`n${W}_p${k} as n_p${k}_${W}`, `${corrOf(W, `p${k}`)} as c_p${k}_${W}`]),
    `n${W}_tri as n_tri_${W}`,
    `a${W} + d${W}_mtri as m_tri_${W}`,
    `sqrt(greatest(v${W}_tritri, 0) / ${W}) as s_tri_${W}`,
  ]);
  const both = (a: string, b: string, W: number) => `sum((${a} is not null and ${b} is not null)::int) over w${W}`;
  // the windows that span more than two blocks (grid minutes missing inside them): the window aggregates
  // over exactly their W rows, on those windows' rows only
  const aggs = (W: number) => [
    ...CURRENCIES.flatMap((c) => [
      `${both('r', `x_${c}`, W)} as n_${c}_${W}`,
      `corr(r, x_${c}) over w${W} as c_${c}_${W}`,
      `regr_slope(r, x_${c}) over w${W} as b_${c}_${W}`,
    ]),
    ...range(PEERS).flatMap((k) => [`${both('r', `p${k}`, W)} as n_p${k}_${W}`, `corr(r, p${k}) over w${W} as c_p${k}_${W}`]),
    `sum((tri is not null)::int) over w${W} as n_tri_${W}`,
    `avg(tri) over w${W} as m_tri_${W}`,
    `stddev_pop(tri) over w${W} as s_tri_${W}`,
  ];
  const aggNames = (W: number) => aggs(W).map((a) => a.slice(a.lastIndexOf(' as ') + 4));
  const fallbacks = CORR_WINDOWS.map(
    (W) => `g${W} as (
      select em, ${aggs(W).join(',\n             ')}
      from (select * from kn where sub${W} > 0) u${W}
      window w${W} as (order by em rows between ${W - 1} preceding and current row)
    )`,
  ).join(', ');
  const unified = CORR_WINDOWS.flatMap((W) => aggNames(W).map((n) => `case when z0.k${W} = 3 then g${W}.${n} else z0.${n} end as ${n}`));
  const complete = CORR_WINDOWS.flatMap((W) => [
    ...CURRENCIES.flatMap((c) => [
      `case when n_${c}_${W} = ${W} then c_${c}_${W} end as "corr_${c}_${W}"`,
      `case when n_${c}_${W} = ${W} then b_${c}_${W} end as "beta_${c}_${W}"`,
    ]),
    ...range(PEERS).map((k) => `case when n_p${k}_${W} = ${W} then $7[${k}] * c_p${k}_${W} end as q${k}_${W}`),
    `case when n_tri_${W} = ${W} then m_tri_${W} end as "tri_mean_${W}"`,
    `case when n_tri_${W} = ${W} then s_tri_${W} end as "tri_std_${W}"`,
    `case when n_tri_${W} = ${W} and s_tri_${W} <> 0 then (tri - m_tri_${W}) / s_tri_${W} end as "tri_z_${W}"`,
  ]);
  const pick = (what: 'corr' | 'beta', side: '$9' | '$10', W: number) =>
    `case ${side}${CURRENCIES.map((c) => `\n             when '${c}' then z."${what}_${c}_${W}"`).join('')} end`;
  const expr = new Map<string, string>();
  for (const W of CORR_WINDOWS) {
    expr.set(`corr_base_${W}`, pick('corr', '$9', W));
    expr.set(`corr_quote_${W}`, pick('corr', '$10', W));
    expr.set(`beta_base_${W}`, pick('beta', '$9', W));
    expr.set(`beta_quote_${W}`, pick('beta', '$10', W));
    expr.set(`peer_corr_mean_${W}`, `l.pm${W}`);
    expr.set(`peer_corr_max_${W}`, `l.px${W}`);
    expr.set(`peer_corr_min_${W}`, `l.pn${W}`);
    expr.set(`peer_corr_std_${W}`, `l.ps${W}`);
    expr.set(`peer_base_corr_mean_${W}`, `l.pb${W}`);
    expr.set(`peer_quote_corr_mean_${W}`, `l.pq${W}`);
  }
  expr.set('tri_resid', 'z.tri');
  expr.set('tri_resid_d1', 'z.tri_d1');
  expr.set('peers_live', 'z.peers_live::float8');
  const cols = correlationFeatures.columns.map((c) => c.name);
  const select = cols.map((c) => expr.get(c) ?? `z."${c}"`);
  // the peers' oriented correlations in pair order, the three windows' in one unnest: plain aggregates
  // over a function scan, which returns its rows in the arrays' order (there is no other plan for it), so
  // they accumulate in pair order as the ordered aggregates of before did, without a sort per aggregate
  // and row (PostgreSQL 15 sorts each ordered aggregate's input on its own: 15 sorts a bar)
  const lateral = `left join lateral (
      select ${CORR_WINDOWS.map(
        (W) => `avg(q${W}) as pm${W}, max(q${W}) as px${W}, min(q${W}) as pn${W}, stddev_pop(q${W}) as ps${W},
             avg(q${W}) filter (where $8[i]) as pb${W}, avg(q${W}) filter (where not $8[i]) as pq${W}`,
      ).join(',\n             ')}
      from unnest(${CORR_WINDOWS.map(
        (W) =>
          `array[${range(PEERS)
            .map((k) => `z.q${k}_${W}`)
            .join(', ')}]`,
      ).join(',\n                  ')}) with ordinality u(${CORR_WINDOWS.map((W) => `q${W}`).join(', ')}, i)) l on true`;
  // per block of W grid minutes: tri at the next block's first row (na, at minute nb), from the reverse
  // sums' windows; tri at its own first row (a) is the last row of the block in their order
  const nexts = CORR_WINDOWS.flatMap((W) => [`first_value(nx_tri) over b${W} as na${W}`, `first_value(nx_em) over b${W} as nb${W}`]);
  const firsts = CORR_WINDOWS.map((W) => `last_value(tri) over bw${W} as a${W}`);
  const anchorsNext = CORR_WINDOWS.flatMap((W) => [`na${W}`, `nb${W}`]);
  const anchorsTri = CORR_WINDOWS.map((W) => `a${W}`);
  const lags = (o: string) =>
    CORR_WINDOWS.flatMap((W) => [`lag(em, ${W - 1}) over ${o} as ls${W}`, `lag(nb${W}, ${W - 1}) over ${o} as lnb${W}`]);
  const lagSums = CORR_WINDOWS.map((W) => `lag(bv${W}, ${W - 1}) over fo as lbv${W}`);
  // k: 0 fewer than W rows; 1 the window is t's whole block; 2 t's block and the one before it; 3 more blocks
  const kinds = CORR_WINDOWS.map(
    (W) =>
      `case when ls${W} is null then 0 when ls${W} / ${W} = ${blk(W)} then 1 when lnb${W} / ${W} = ${blk(W)} then 2 else 3 end as k${W}`,
  );
  const subs = CORR_WINDOWS.map(
    (W) => `sum((k${W} = 3)::int) over (order by em rows between current row and ${W - 1} following) as sub${W}`,
  );
  const fallbackCols = ['em', 'r', 'tri', ...OTHERS];
  const carry = ['em', 'ts_utc', ...raw];
  return `insert into bqx.correlation_features (pair, ts_utc,${lines(
    cols.map((c) => `"${c}"`),
    6,
  )})
    with s as (
      select ts_utc,${lines(
        CURRENCIES.map((c) => `max(strength_ret) filter (where currency = '${c}') as x_${c}`),
        13,
      )}
      from bqx.currency_strength where ts_utc >= $4 and ts_utc <= $3 group by ts_utc
    ), x as (
      select (extract(epoch from c.ts_utc)::bigint / 60) as em, c.ts_utc, c.rv[v_own] as r,
             ln(c.cv[v_own]) - (v_sx * ln(c.cv[v_lx]) - v_sy * ln(c.cv[v_ly])) as tri,
             ${range(PEERS)
               .map((k) => `(c.cv[v_peer[${k}]] is not null)::int`)
               .join('\n               + ')} as peers_live,
             ${range(PEERS)
               .map((k) => `c.rv[v_peer[${k}]] as p${k}`)
               .join(',\n             ')},
             ${CURRENCIES.map((c) => `s.x_${c}`).join(', ')}
      from (select ts_utc,
                   array[${packed(
                     PAIR_NAMES.map((p) => `ret_${p}`),
                     25,
                   )}] as rv,
                   array[${packed(
                     PAIR_NAMES.map((p) => `close_${p}`),
                     25,
                   )}] as cv
            from bqx.cross_returns where ts_utc >= $4 and ts_utc <= $3 offset 0) c
      left join s on s.ts_utc = c.ts_utc
    ), y as (
      select *, tri - lag(tri) over o as tri_d1, lead(em) over o as nx_em, lead(tri) over o as nx_tri
      from x window o as (order by em)
    ), an as (
      select *, ${[...nexts, ...firsts].join(',\n             ')}
      from y window ${[...CORR_WINDOWS.map(bwin), ...CORR_WINDOWS.map(bwhole)].join(',\n        ')}
    ), kn as (
      -- the windows over more than two blocks, apart from the sums (narrow rows: the fallbacks' inputs)
      select ${packed(fallbackCols, 13)},
             ${subs.join(',\n             ')}
      from (select ${packed(fallbackCols, 20)},
                   ${kinds.join(',\n                   ')}
            from (select ${packed(fallbackCols, 26)},
                         ${lags('o').join(',\n                         ')}
                  from an window o as (order by em)) k1) k2
    ), rs as (
      select ${packed([...carry, ...anchorsNext, ...anchorsTri], 13)},
             ${CORR_WINDOWS.map((W) => packedSums('b', 'na', W)).join(',\n             ')}
      from an window ${CORR_WINDOWS.map(bwin).join(',\n        ')}
    ), fs as (
      select ${packed([...carry, ...anchorsTri], 13)},
             ${CORR_WINDOWS.map((W) => packedSums('f', 'a', W)).join(',\n             ')},
             ${[...lags('fo'), ...lagSums].join(',\n             ')}
      from rs window ${[...CORR_WINDOWS.map(fwin), fo].join(',\n        ')}
    ), kw as (
      select ${packed([...carry, ...anchorsTri, ...CORR_WINDOWS.flatMap((W) => [`fv${W}`, `lbv${W}`])], 13)},
             ${kinds.join(',\n             ')}
      from fs offset 0
    ), ws as (
      select ${packed([...carry, ...anchorsTri, ...CORR_WINDOWS.map((W) => `k${W}`)], 13)},
             ${sumCols.join(',\n             ')}
      from (select ${packed([...carry, ...anchorsTri, ...CORR_WINDOWS.flatMap((W) => [`k${W}`, `fv${W}`])], 20)},
                   ${pieces.join(',\n                   ')}
            from kw where ts_utc >= $2 offset 0) kl offset 0
    ), vs as (
      select ${packed([...carry, ...anchorsTri, ...CORR_WINDOWS.map((W) => `k${W}`)], 13)},
             ${main.join(',\n             ')}
      from ws offset 0
    ), ${fallbacks}, z0 as (
      select ${packed([...carry, ...CORR_WINDOWS.map((W) => `k${W}`)], 13)},
             ${fromSums.join(',\n             ')}
      from vs
    ), w as (
      select z0.ts_utc, z0.tri, z0.peers_live, z0.tri_d1,
             ${unified.join(',\n             ')}
      from z0 ${CORR_WINDOWS.map((W) => `left join g${W} on g${W}.em = z0.em`).join(' ')}
    ), v as (
      select ts_utc, tri, peers_live, tri_d1,
             ${complete.join(',\n             ')}
      from w
    )
    select $1, m.ts_utc, ${select.join(',\n           ')}
    from bqx.m1 m
    left join v z on z.ts_utc = m.ts_utc
    ${lateral}
    where m.pair = $1 and m.ts_utc >= $2 and m.ts_utc <= $3`;
}

export function correlationRefreshSql(): string {
  const fam = correlationFeatures;
  const back = Math.max(...CORR_WINDOWS);
  const terms = [
    'bqx.refresh_correlation_features(p_pair, p_from, p_to):',
    `  ${fam.description}`,
    'GENERATED by scripts/gen-sql.ts from src/features/sqlgen/correlation.ts (edit the generator, not this function).',
    'Contract:',
    '  in:    a known pair and a half-open range [p_from, p_to).',
    `  reads: the pair's bqx.m1 bars in the range (the rows to write), and bqx.cross_returns and`,
    `         bqx.currency_strength from ${back} grid minutes before the range: at or before each bar, never after it.`,
    '         Refresh those two first (bqx.refresh_cross_returns, bqx.refresh_currency_strength) over the range.',
    '  out:   rows written to bqx.correlation_features (one per bqx.m1 bar of the pair in the range; a bar whose',
    '         minute the cross-section lacks gets a row of NULLs).',
    '  does:  deletes the rows of the pair in the range and inserts them again, computed in one statement.',
    '  locks: the (family, pair) partition advisory lock via bqx.ensure_partitions, held to commit.',
    'Idempotent: refreshing twice, or over overlapping ranges, gives identical rows.',
  ];
  const literal = terms.join('\n').replaceAll("'", "''");
  // the statement's parameters are the function's variables (highest first: $10 before $1)
  const PARAMS = ['p_pair', 'v_lo', 'v_hi', 'v_start', 'v_sx', 'v_sy', 'v_sign', 'v_shares_base', 'v_base', 'v_quote'];
  let stmt = template();
  for (let i = PARAMS.length; i >= 1; i--) stmt = stmt.replaceAll(`$${i}`, PARAMS[i - 1]!);
  return `-- GENERATED by scripts/gen-sql.ts from src/features/sqlgen/correlation.ts (edit the generator, not this file).
-- bqx.refresh_correlation_features: its contract is in the body and in its comment (\\sf, \\df+ show them).
create or replace function bqx.refresh_correlation_features(p_pair text, p_from timestamptz, p_to timestamptz)
returns bigint
language plpgsql
set jit = off
set work_mem = '256MB'
-- The bars are joined to the windows computed over the cross-section: a nested loop would compute the
-- windows again for every bar (the planner picks one on tables not yet analysed, as after a first
-- ingest: minutes instead of a second). The peer summaries' lateral unnests stay nested loops (nothing
-- else can run them); every other join hashes or merges.
set enable_nestloop = off
as $fn$
${terms.map((t) => `-- ${t}`).join('\n')}
declare
  v_lo timestamptz;
  v_hi timestamptz;
  v_start timestamptz;
  v_base text;
  v_quote text;
  v_k text;
  v_leg_x text;
  v_leg_y text;
  v_sx float8;
  v_sy float8;
  v_peers text[];
  v_names text[] := array[${PAIR_NAMES.map((p) => `'${p}'`).join(', ')}];
  v_own integer;
  v_lx integer;
  v_ly integer;
  v_peer integer[];
  v_sign float8[];
  v_shares_base boolean[];
  v_rows bigint;
begin
  -- validate, delete the range's rows, ensure partitions (the lookback is in grid minutes, found below)
  select o_lo, o_hi into v_lo, v_hi from bqx.refresh_prepare('${fam.family}', p_pair, p_from, p_to, 0, 1);
  if v_lo is null then
    return 0;
  end if;
  select base, quote into v_base, v_quote from bqx.pairs where pair = p_pair;
  -- the 12 peers (sharing a currency), in pair order; +1 where the shared currency is on the same side
  select array_agg(pair order by pair),
         array_agg(case when base = v_base or quote = v_quote then 1 else -1 end::float8 order by pair),
         array_agg(base = v_base or quote = v_base order by pair)
    into v_peers, v_sign, v_shares_base
  from bqx.pairs
  where pair <> p_pair and (base in (v_base, v_quote) or quote in (v_base, v_quote));
  -- the vehicle currency: USD, EUR for the USD pairs, GBP for eurusd; ln(a/K) = s * ln(close of the leg)
  v_k := case when 'usd' not in (v_base, v_quote) then 'usd' when 'eur' not in (v_base, v_quote) then 'eur' else 'gbp' end;
  select pair, case when base = v_base then 1 else -1 end into v_leg_x, v_sx
  from bqx.pairs where (base = v_base and quote = v_k) or (base = v_k and quote = v_base);
  select pair, case when base = v_quote then 1 else -1 end into v_leg_y, v_sy
  from bqx.pairs where (base = v_quote and quote = v_k) or (base = v_k and quote = v_quote);
  -- ${back} grid minutes before the range: the windows' history (a window's sums read its own rows only,
  -- from its first row s on, so no block needs reading from its start)
  select coalesce((select ts_utc from bqx.cross_returns where ts_utc < v_lo order by ts_utc desc offset ${back - 1} limit 1),
                  '-infinity') into v_start;

  -- the pairs' positions in the cross-section's arrays of returns and closes (the order of bqx.pairs' names)
  v_own := array_position(v_names, p_pair);
  v_lx := array_position(v_names, v_leg_x);
  v_ly := array_position(v_names, v_leg_y);
  v_peer := array(select array_position(v_names, n) from unnest(v_peers) with ordinality u(n, i) order by i);

  ${stmt.split('\n').join('\n  ')};
  get diagnostics v_rows = row_count;
  return v_rows;
end;
$fn$;

comment on function bqx.refresh_correlation_features(text, timestamptz, timestamptz) is
'${literal}';
`;
}
