-- (pair, family)s that have a definition record, as 'pair/family'.
select distinct pair || '/' || family as key from bqx.family_definitions
