-- bqx.refresh_labels(p_pair, p_from, p_to): the forward targets of spec section 6 for [p_from, p_to).
-- Contract:
--   in:    a known pair and a half-open range [p_from, p_to).
--   out:   rows written (one per bqx.m1 bar of the pair in the range).
--   does:  deletes the labels of the pair in the range and inserts them again: for h in 15..75,
--          bqx_w60_lead_h = w60_bqx_return h bars ahead (a LEAD over the pair's bars, which reads up to
--          75 bars past the range: labels are the only place the future is read) and
--          d_bqx_w60_h = that minus w60_bqx_return now; NULL where fewer than h bars follow.
--   locks: the (labels, pair) partition advisory lock via ensure_partitions, held to commit.
-- Idempotent. A refresh must be repeated over the last 75 bars when new bars arrive (the runner does).
create or replace function bqx.refresh_labels(p_pair text, p_from timestamptz, p_to timestamptz)
returns bigint
language plpgsql
set jit = off
as $fn$
declare
  v_lo timestamptz;
  v_hi timestamptz;
  v_rs bigint;
  v_start timestamptz;
  v_end timestamptz;
  v_rows bigint;
begin
  select o_lo, o_hi, o_rs, o_start into v_lo, v_hi, v_rs, v_start
  from bqx.refresh_prepare('labels', p_pair, p_from, p_to, 0, 1);
  if v_lo is null then
    return 0;
  end if;
  -- the 75th bar after the range, or the last bar there is
  select coalesce(
    (select ts_utc from bqx.m1 where pair = p_pair and ts_utc > v_hi order by ts_utc offset 74 limit 1),
    (select max(ts_utc) from bqx.m1 where pair = p_pair)) into v_end;

  insert into bqx.labels (pair, ts_utc,
    bqx_w60_lead_15, d_bqx_w60_15, bqx_w60_lead_30, d_bqx_w60_30, bqx_w60_lead_45, d_bqx_w60_45,
    bqx_w60_lead_60, d_bqx_w60_60, bqx_w60_lead_75, d_bqx_w60_75)
  select p_pair, ts_utc, l15, l15 - y, l30, l30 - y, l45, l45 - y, l60, l60 - y, l75, l75 - y
  from (select m.ts_utc, x.w60_bqx_return as y,
               lead(x.w60_bqx_return, 15) over o as l15, lead(x.w60_bqx_return, 30) over o as l30,
               lead(x.w60_bqx_return, 45) over o as l45, lead(x.w60_bqx_return, 60) over o as l60,
               lead(x.w60_bqx_return, 75) over o as l75
        from bqx.m1 m left join bqx.bqx x on x.pair = m.pair and x.ts_utc = m.ts_utc
        where m.pair = p_pair and m.ts_utc >= v_lo and m.ts_utc <= v_end
        window o as (order by m.ts_utc)) q
  where ts_utc <= v_hi;
  get diagnostics v_rows = row_count;
  return v_rows;
end;
$fn$;
