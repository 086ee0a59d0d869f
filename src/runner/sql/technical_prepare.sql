-- Deletes the family's rows of the pair in [$3, $4), ensures partitions and finds where reading starts:
-- $5 bars of warm-up before the range (bqx.refresh_prepare, block 1: no rounding).
select o_lo, o_hi, o_start from bqx.refresh_prepare($1, $2, $3, $4, $5, 1)
