-- Whether bqx.definition_stale exists yet (a store migrated before definitions were recorded lacks it).
select to_regprocedure('bqx.definition_stale(text[],text[],text[],timestamptz,timestamptz)') is not null as ok;
