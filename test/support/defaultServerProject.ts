/**
 * The vitest project CI adds (BQX_TEST_DEFAULT_SERVER_TOO=1 with DATABASE_URL set) to run db tests a
 * second time in the same run, on the server a machine without DATABASE_URL gets: its globalSetup ignores
 * DATABASE_URL and its test files run with DATABASE_URL unset.
 */
export const DEFAULT_SERVER_PROJECT = 'db-embedded';

/**
 * The db files that project runs: every one whose outcome can hang on the server's version or on what a
 * fresh machine has. The store's in-engine SQL (every family against its reference, the cross-section,
 * numerics), its plans on fresh unanalysed partitions (late history, the cross wave, the dataset's
 * extract), the schema, migrations and upgrades, roles and permissions (PostgreSQL 16 changed role
 * administration), COPY paths, the analyst's views, serving, monitoring and verification SQL, and the
 * demo a fresh machine runs first. The rest (orchestration: CLI exit codes, runner failures and ticks,
 * concurrency, retention bookkeeping, definition records, the dashboard) runs once, on DATABASE_URL; the
 * whole db suite on the embedded server is `env -u DATABASE_URL npm test`, what a fresh machine runs.
 * Running all of it twice took CI to 30 minutes on two cores.
 */
export const DEFAULT_SERVER_FILES = [
  'analyst',
  'correlation',
  'correlationGaps',
  'crossRunner',
  'currencyStrength',
  'dataset',
  'demo',
  'features',
  'fibonacci',
  'ingest',
  'ingestFastPath',
  'lateHistory',
  'monitor',
  'numerics',
  'partitions',
  'roles',
  'schema',
  'schemaDump',
  'serve',
  'sqlgenBlocks',
  'technical',
  'upgrade',
  'verify',
].map((f) => `test/db/${f}.test.ts`);
