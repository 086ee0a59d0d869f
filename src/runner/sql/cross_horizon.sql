-- How far the cross-section can be computed (README, "Cross-pair families", Watermarks): the earliest of
-- the pairs' last bars, leaving out a pair more than CARRY_MINUTES = 5 minutes behind the newest bar (its
-- price is missing there anyway; its bars, when they come, are late bars). Returns that bar (horizon), the
-- pair holding it (held_by), the newest bar and the first bar of all pairs; NULLs without bars.
with l as (
  select p.pair, (select max(ts_utc) from bqx.m1 m where m.pair = p.pair) as last_bar,
         (select min(ts_utc) from bqx.m1 m where m.pair = p.pair) as first_bar
  from bqx.pairs p
), n as (select max(last_bar) as newest, min(first_bar) as first_bar from l)
select h.last_bar as horizon, h.pair as held_by, n.newest, n.first_bar,
       (select count(*) from l where l.last_bar is null or l.last_bar < n.newest - interval '5 minutes')::int as pairs_behind
from n
left join lateral (
  select l.pair, l.last_bar from l where l.last_bar >= n.newest - interval '5 minutes' order by l.last_bar, l.pair limit 1
) h on true
