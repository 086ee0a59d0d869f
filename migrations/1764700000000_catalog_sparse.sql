-- Up Migration
-- Which features are NULL often by their own definition on ordinary data (catalog `sparse`): the
-- dataset pipeline reports their missing share instead of holding them to its 1% rule, and analysts
-- reading bqx.feature_catalog should know the same. Filled by bqx migrate's catalog sync.
alter table bqx.feature_catalog add column sparse boolean not null default false;

-- Down Migration
alter table bqx.feature_catalog drop column sparse;
