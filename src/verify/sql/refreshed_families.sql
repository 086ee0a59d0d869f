-- Families (but labels) and pairs with something computed: what the causality spot checks sample from.
select array(select distinct family from bqx.watermarks where refreshed_through is not null and family <> 'labels' order by 1) as families,
       array(select distinct pair from bqx.watermarks where refreshed_through is not null order by 1) as pairs
