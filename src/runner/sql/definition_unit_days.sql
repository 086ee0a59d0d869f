-- Days of bars one catch-up unit of stale rows recomputes at most, and the seconds a runner tick spends on them.
select coalesce((select value::float8 from bqx.settings where key = 'definition_unit_days'), 7) as days,
       coalesce((select value::float8 from bqx.settings where key = 'definition_tick_seconds'), 5) as tick_seconds
