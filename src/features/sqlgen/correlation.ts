/**
 * Generated SQL for correlation_features (catalog: src/features/catalog/correlation.ts): per pair, on the
 * pair's own bars, from the cross-section only (bqx.cross_returns, bqx.currency_strength), never from
 * another pair's tables.
 *
 * Windows count grid minutes, rows of the cross-section ordered by ts_utc, ending at the bar (every bar
 * is a grid minute): a value at t reads cross-section rows at or before t only. Each windowed value is a
 * window aggregate over exactly its W rows (corr, regr_slope, avg, stddev_pop: PostgreSQL recomputes the
 * frame of a float aggregate row by row, having no inverse for it), so a value is the same whatever range
 * a refresh covers; completeness is a moving integer sum (cheap: it has an inverse). Which columns of the
 * cross-section a pair reads (its own, its 12 peers', its two legs') depends on the pair: the statement
 * is a fixed template with those column names filled in by format(%I) from bqx.pairs.
 */
import { CORR_WINDOWS, correlationFeatures } from '../catalog/correlation.ts';
import { CURRENCIES } from '../pairs.ts';
import { lines } from './layout.ts';

const PEERS = 12;
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** The INSERT, with format() placeholders: %1$I own ret, %2$I own close, %3$I / %4$I the legs' closes, %5$I.. peers' rets, then peers' closes. */
function template(): string {
  const peerRet = (k: number) => `%${4 + k}$I`;
  const peerClose = (k: number) => `%${4 + PEERS + k}$I`;
  const frames = CORR_WINDOWS.map((W) => `w${W} as (o rows between ${W - 1} preceding and current row)`).join(',\n        ');
  const both = (a: string, b: string, W: number) => `sum((${a} is not null and ${b} is not null)::int) over w${W}`;
  const aggs = CORR_WINDOWS.flatMap((W) => [
    ...CURRENCIES.flatMap((c) => [
      `${both('r', `x_${c}`, W)} as n_${c}_${W}`,
      `corr(r, x_${c}) over w${W} as c_${c}_${W}`,
      `regr_slope(r, x_${c}) over w${W} as b_${c}_${W}`,
    ]),
    ...range(PEERS).flatMap((k) => [`${both('r', `p${k}`, W)} as n_p${k}_${W}`, `corr(r, p${k}) over w${W} as c_p${k}_${W}`]),
    `sum((tri is not null)::int) over w${W} as n_tri_${W}`,
    `avg(tri) over w${W} as m_tri_${W}`,
    `stddev_pop(tri) over w${W} as s_tri_${W}`,
  ]);
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
    expr.set(`peer_corr_mean_${W}`, `l${W}.pm`);
    expr.set(`peer_corr_max_${W}`, `l${W}.px`);
    expr.set(`peer_corr_min_${W}`, `l${W}.pn`);
    expr.set(`peer_corr_std_${W}`, `l${W}.ps`);
    expr.set(`peer_base_corr_mean_${W}`, `l${W}.pb`);
    expr.set(`peer_quote_corr_mean_${W}`, `l${W}.pq`);
  }
  expr.set('tri_resid', 'z.tri');
  expr.set('tri_resid_d1', 'z.tri_d1');
  expr.set('peers_live', 'z.peers_live::float8');
  const cols = correlationFeatures.columns.map((c) => c.name);
  const select = cols.map((c) => expr.get(c) ?? `z."${c}"`);
  // the peers' oriented correlations in pair order: ordered aggregates, so the bits never depend on the plan
  const laterals = CORR_WINDOWS.map(
    (W) => `left join lateral (
      select avg(q order by i) as pm, max(q) as px, min(q) as pn, stddev_pop(q order by i) as ps,
             avg(q order by i) filter (where $8[i]) as pb, avg(q order by i) filter (where not $8[i]) as pq
      from unnest(array[${range(PEERS)
        .map((k) => `z.q${k}_${W}`)
        .join(',\n                        ')}]) with ordinality u(q, i)) l${W} on true`,
  ).join('\n    ');
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
      select c.ts_utc, c.%1$I as r,
             ln(c.%2$I) - ($5 * ln(c.%3$I) - $6 * ln(c.%4$I)) as tri,
             ${range(PEERS)
               .map((k) => `(c.${peerClose(k)} is not null)::int`)
               .join('\n               + ')} as peers_live,
             ${range(PEERS)
               .map((k) => `c.${peerRet(k)} as p${k}`)
               .join(',\n             ')},
             ${CURRENCIES.map((c) => `s.x_${c}`).join(', ')}
      from bqx.cross_returns c left join s on s.ts_utc = c.ts_utc
      where c.ts_utc >= $4 and c.ts_utc <= $3
    ), w as (
      select ts_utc, tri, peers_live, tri - lag(tri) over o as tri_d1,
             ${aggs.join(',\n             ')}
      from x window o as (order by ts_utc), ${frames}
    ), v as (
      select ts_utc, tri, peers_live, tri_d1,
             ${complete.join(',\n             ')}
      from w where ts_utc >= $2
    )
    select $1, m.ts_utc, ${select.join(',\n           ')}
    from bqx.m1 m
    left join v z on z.ts_utc = m.ts_utc
    ${laterals}
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
  // One literal per line (SQL joins string constants separated by a newline): no literal spans lines, so
  // re-indenting the body is layout only, which the definition fingerprint ignores (normaliseSql keeps a
  // literal byte for byte). The trailing space keeps the last token of a line apart from the next one's.
  const tpl = template()
    .replaceAll("'", "''")
    .split('\n')
    .map((l) => `'${l} '`)
    .join('\n    ');
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
  -- ${back} grid minutes before the range: the windows' history
  select coalesce((select ts_utc from bqx.cross_returns where ts_utc < v_lo order by ts_utc desc offset ${back - 1} limit 1),
                  '-infinity') into v_start;

  execute format(${tpl},
    'ret_' || p_pair, 'close_' || p_pair, 'close_' || v_leg_x, 'close_' || v_leg_y,
    ${range(PEERS)
      .map((k) => `'ret_' || v_peers[${k}]`)
      .join(', ')},
    ${range(PEERS)
      .map((k) => `'close_' || v_peers[${k}]`)
      .join(', ')})
  using p_pair, v_lo, v_hi, v_start, v_sx, v_sy, v_sign, v_shares_base, v_base, v_quote;
  get diagnostics v_rows = row_count;
  return v_rows;
end;
$fn$;

comment on function bqx.refresh_correlation_features(text, timestamptz, timestamptz) is
'${literal}';
`;
}
