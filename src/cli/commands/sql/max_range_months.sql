-- The widest --from/--to range (in months) partitions ensure and synth take without --force.
select bqx.setting('max_range_months')::integer as months;
