-- bqx.refresh_prepare(p_family, p_pair, p_from, p_to, p_lookback, p_block): the shared first half of every
-- bqx.refresh_<family> function.
-- Contract:
--   in:    a registered family, a known pair, a half-open range [p_from, p_to), the bars of history a value
--          needs (p_lookback) and the block size of the rolling sums (p_block).
--   out:   o_lo / o_hi, the first and last bqx.m1 bar of the pair in the range (NULL when there is none);
--          o_rs, the pair's global row number where reading starts (the lookback, rounded down to a block
--          start, so values never depend on where a refresh starts); o_start, the bar at that row.
--   does:  deletes the family's rows of the pair in the range (the caller inserts them again in the same
--          transaction) and marks the bqx.feature_stats rows of the range's months counted through a
--          bar in or after it for a recount (through set to NULL: they no longer describe the rows), and ensures the family's partitions for the bars found.
--   locks: the (family, pair) partition advisory lock via ensure_partitions, held to commit.
--   notifies: channel bqx_vectors, payload '<pair> <p_from in epoch ms>', delivered when the caller's
--          transaction commits (never if it rolls back): bqx serve drops its cached vectors of the pair
--          from p_from on. Every family's refresh passes here (SQL and TypeScript families, the runner,
--          late history, definition catch-up), so no write of a family's rows goes unannounced.
create or replace function bqx.refresh_prepare(
  p_family text,
  p_pair text,
  p_from timestamptz,
  p_to timestamptz,
  p_lookback integer,
  p_block integer,
  out o_lo timestamptz,
  out o_hi timestamptz,
  out o_rs bigint,
  out o_start timestamptz
)
language plpgsql
as $$
declare
  v_r0 bigint;
  v_month timestamptz;
begin
  perform bqx.assert_family(p_family);
  perform bqx.assert_pair(p_pair);
  if p_from is null or p_to is null or p_to <= p_from then
    raise exception using errcode = 'BQ003',
      message = format('bad range [%s, %s) for refresh of %s/%s', p_from, p_to, p_family, p_pair),
      hint = 'give --from before --to (the range is half-open)';
  end if;
  perform pg_notify('bqx_vectors', p_pair || ' ' || case when isfinite(p_from)
    then floor(extract(epoch from p_from) * 1000)::bigint::text else '' end);
  -- The family name was checked against bqx.families above; %I quotes it all the same.
  execute format('delete from bqx.%I where pair = $1 and ts_utc >= $2 and ts_utc < $3', p_family)
    using p_pair, p_from, p_to;
  -- The statistics of every month of the range whose counted rows (through its newest bar counted) this
  -- write rewrites lose their `through`: the month is then recounted by the next unit that touches it
  -- (the runner's, right after in this transaction) instead of an appending tick merging new rows into
  -- counts of rows that changed (bqx.feature_stats_refresh only checks the rows after `through`). Kept,
  -- not deleted, so a repair by a bare refresh leaves the month's statistics for status and verify.
  update bqx.feature_stats s set through = null
  where s.pair = p_pair and s.family = p_family
    and s.month >= (date_trunc('month', p_from, 'UTC'))::date and s.month::timestamp at time zone 'UTC' < p_to
    and s.through >= p_from;
  select min(ts_utc), max(ts_utc) into o_lo, o_hi from bqx.m1 where pair = p_pair and ts_utc >= p_from and ts_utc < p_to;
  if o_lo is null then
    return;
  end if;
  perform bqx.ensure_partitions(p_family, p_pair, o_lo, o_hi + interval '1 minute', 0);
  -- bars before o_lo: whole months from bqx.m1_rows, then the month of o_lo up to it by index
  v_month := date_trunc('month', o_lo, 'UTC');
  select coalesce(sum(rows), 0) into v_r0 from bqx.m1_rows where pair = p_pair and month < v_month;
  v_r0 := v_r0 + (select count(*) from bqx.m1 where pair = p_pair and ts_utc >= v_month and ts_utc < o_lo);
  o_rs := greatest(0, ((v_r0 - p_lookback) / p_block) * p_block);
  if o_rs = v_r0 then
    o_start := o_lo;
  else
    select ts_utc into o_start from bqx.m1 where pair = p_pair and ts_utc < o_lo
    order by ts_utc desc offset (v_r0 - o_rs - 1) limit 1;
  end if;
end;
$$;
