-- Tables in schema bqx: family parents, pair tables, monthly partitions, other tables.
select
  count(*) filter (where c.relkind = 'p' and not c.relispartition) as family_tables,
  count(*) filter (where c.relkind = 'p' and c.relispartition) as pair_tables,
  count(*) filter (where c.relkind = 'r' and c.relispartition) as month_partitions,
  count(*) filter (where c.relkind = 'r' and not c.relispartition) as other_tables
from pg_class c where c.relnamespace = 'bqx'::regnamespace;
