-- Whether bqx.object_md5 exists yet (it does not before the first apply).
select to_regprocedure('bqx.object_md5(text,text)') is not null as ok;
