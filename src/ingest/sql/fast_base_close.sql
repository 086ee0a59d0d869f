-- The fast path: the baseline close of pair $1 (NULL while unknown), to compute the rate indices of the
-- bars it COPYs into bqx.m1 as insert_m1.sql would: 100 * x / B, the same IEEE operations in the same order.
select b.base_close from bqx.baselines b where b.pair = $1::text;
