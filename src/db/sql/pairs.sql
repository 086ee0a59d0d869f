-- The pairs the store knows, in order.
select pair from bqx.pairs order by pair;
