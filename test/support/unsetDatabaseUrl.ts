/**
 * Setup file of the db-embedded project: its test files (and the CLI processes they start, which inherit
 * process.env) see no DATABASE_URL, as on a fresh machine, although the run's other db project uses it.
 */
delete process.env.DATABASE_URL;
