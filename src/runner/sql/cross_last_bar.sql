-- The last bar of any pair in [$1, $2): how far a cross unit over that range takes its watermark.
select max(l.ts) as last
from bqx.pairs p
cross join lateral (select max(m.ts_utc) as ts from bqx.m1 m where m.pair = p.pair and m.ts_utc >= $1 and m.ts_utc < $2) l
