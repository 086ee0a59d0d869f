-- Pairs whose baseline B would move if it were established now (spec section 2: the close of the first bar
-- at or after the base instant): a bar ingested after B was set precedes the bar B came from, or that
-- bar's close is no longer B. B stays fixed until `bqx rebase --pairs P`; this lists what it would do.
select b.pair, b.base_instant, b.base_ts, b.base_close, f.ts_utc as new_base_ts, f.close as new_base_close
from bqx.baselines b
cross join lateral (select m.ts_utc, m.close from bqx.m1 m where m.pair = b.pair and m.ts_utc >= b.base_instant order by m.ts_utc limit 1) f
where b.base_close is not null
  and ($1::text[] is null or b.pair = any($1::text[]))
  and (f.ts_utc is distinct from b.base_ts or f.close is distinct from b.base_close)
order by b.pair
