/**
 * The vitest project CI adds (BQX_TEST_DEFAULT_SERVER_TOO=1 with DATABASE_URL set) to run the db suite a
 * second time in the same run, on the server a machine without DATABASE_URL gets: its globalSetup ignores
 * DATABASE_URL and its test files run with DATABASE_URL unset.
 */
export const DEFAULT_SERVER_PROJECT = 'db-embedded';
