-- A family refreshed through $3 for pair $2 ($1 the family), as the runner would leave it.
insert into bqx.watermarks (family, pair, refreshed_through) values ($1::text, $2::text, $3::timestamptz)
on conflict (pair, family) do update set refreshed_through = excluded.refreshed_through, dirty_from = null;
