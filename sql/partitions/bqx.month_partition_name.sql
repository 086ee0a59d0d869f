-- bqx.month_partition_name(p_family, p_pair, p_month): the name of the monthly partition holding
-- p_month, e.g. ('reg_rate', 'eurusd', '2024-07-15') -> 'reg_rate_eurusd_2024_07'. Months are UTC.
create or replace function bqx.month_partition_name(p_family text, p_pair text, p_month timestamptz)
returns text
language sql
immutable
as $$
  select p_family || '_' || p_pair || '_' || to_char(p_month at time zone 'UTC', 'YYYY_MM');
$$;
