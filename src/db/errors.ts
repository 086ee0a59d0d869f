/**
 * Typed errors with stable codes. Every error the CLI shows carries a code (documented in the
 * README's exit-code table), the bad input, and a hint that says how to fix it.
 */
export type BqxErrorCode =
  | 'BQX_CONFIG'
  | 'BQX_USAGE'
  | 'BQX_UNKNOWN_PAIR'
  | 'BQX_UNKNOWN_FAMILY'
  | 'BQX_BAD_IDENTIFIER'
  | 'BQX_BAD_RANGE'
  | 'BQX_FUTURE_RANGE'
  | 'BQX_NO_PARTITION'
  | 'BQX_INGEST_INVALID'
  | 'BQX_INGEST_CONFLICT'
  | 'BQX_INGEST_EMPTY'
  | 'BQX_INGEST_FORMAT'
  | 'BQX_FILE'
  | 'BQX_DRIFT'
  | 'BQX_VERIFY'
  | 'BQX_DB'
  | 'BQX_LOCKED'
  | 'BQX_DATASET_INVALID'
  | 'BQX_DATASET_STALE'
  | 'BQX_LEAKAGE'
  | 'BQX_UNKNOWN_FEATURE'
  | 'BQX_NO_DATA'
  | 'BQX_UNAUTHORIZED';

/** Process exit codes, one per class of failure (README: "Exit codes"). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  badInput: 3,
  conflict: 4,
  drift: 5,
  database: 6,
  locked: 7,
  verify: 8,
  dataset: 9,
} as const;

const EXIT_BY_CODE: Record<BqxErrorCode, number> = {
  BQX_CONFIG: EXIT.usage,
  BQX_USAGE: EXIT.usage,
  BQX_UNKNOWN_PAIR: EXIT.badInput,
  BQX_UNKNOWN_FAMILY: EXIT.badInput,
  BQX_BAD_IDENTIFIER: EXIT.badInput,
  BQX_BAD_RANGE: EXIT.badInput,
  BQX_FUTURE_RANGE: EXIT.badInput,
  BQX_NO_PARTITION: EXIT.badInput,
  BQX_INGEST_INVALID: EXIT.badInput,
  BQX_INGEST_EMPTY: EXIT.badInput,
  BQX_INGEST_FORMAT: EXIT.badInput,
  BQX_FILE: EXIT.badInput,
  BQX_INGEST_CONFLICT: EXIT.conflict,
  BQX_DRIFT: EXIT.drift,
  BQX_DB: EXIT.database,
  BQX_LOCKED: EXIT.locked,
  BQX_VERIFY: EXIT.verify,
  BQX_DATASET_INVALID: EXIT.dataset,
  BQX_DATASET_STALE: EXIT.dataset,
  BQX_LEAKAGE: EXIT.dataset,
  BQX_UNKNOWN_FEATURE: EXIT.badInput,
  BQX_NO_DATA: EXIT.badInput,
  BQX_UNAUTHORIZED: EXIT.usage,
};

export interface BqxErrorOptions {
  hint?: string;
  /** Structured details (rejected lines, conflicting bars ...) for --json output and tests. */
  details?: unknown;
  cause?: unknown;
}

export class BqxError extends Error {
  readonly code: BqxErrorCode;
  readonly hint?: string;
  readonly details?: unknown;

  constructor(code: BqxErrorCode, message: string, options: BqxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BqxError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  get exitCode(): number {
    return EXIT_BY_CODE[this.code];
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, hint: this.hint, details: this.details };
  }
}

/**
 * PL/pgSQL raises our own errors with SQLSTATE class 'BQ' (e.g. BQ001) and a HINT; this maps them back
 * to typed errors so the CLI shows the same code whether a check ran in SQL or in TypeScript.
 */
const SQLSTATE_CODES: Record<string, BqxErrorCode> = {
  BQ001: 'BQX_UNKNOWN_PAIR',
  BQ002: 'BQX_UNKNOWN_FAMILY',
  BQ003: 'BQX_BAD_RANGE',
  BQ004: 'BQX_FUTURE_RANGE',
  BQ005: 'BQX_BAD_IDENTIFIER',
  BQ006: 'BQX_NO_PARTITION',
  BQ018: 'BQX_UNKNOWN_FEATURE',
};

interface PgErrorLike {
  code?: string;
  message: string;
  hint?: string;
  detail?: string;
}

/**
 * node-postgres reports a lost connection without a SQLSTATE ("Connection terminated unexpectedly", a
 * client that already failed, a socket error); the server says so with class 57 (operator intervention:
 * pg_terminate_backend, shutdown) or 08 (connection exception).
 */
const CONNECTION_MESSAGE =
  /Connection terminated|Client has encountered a connection error|Client was closed|not queryable|timeout exceeded when trying to connect|socket hang up/i;
const CONNECTION_SYSCALL = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether `err` means the session is gone: the client must be discarded, not reused. */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof BqxError) return err.cause !== undefined && isConnectionError(err.cause);
  if (!(err instanceof Error)) return false;
  const code = (err as Error & PgErrorLike).code;
  if (typeof code === 'string' && (code.startsWith('57P') || code.startsWith('08') || CONNECTION_SYSCALL.has(code))) return true;
  return typeof code !== 'string' && CONNECTION_MESSAGE.test(err.message);
}

export function fromPgError(err: unknown): unknown {
  if (err instanceof BqxError || !(err instanceof Error)) return err;
  const pgErr = err as Error & PgErrorLike;
  if (typeof pgErr.code !== 'string') {
    if (!CONNECTION_MESSAGE.test(pgErr.message)) return err;
    return new BqxError('BQX_DB', `lost the database connection: ${pgErr.message}`, {
      hint: 'the server ended the session (restart, pg_terminate_backend, network); what was in flight rolled back: rerun the command',
      details: { connection: true },
      cause: err,
    });
  }
  if (pgErr.code.startsWith('57P') || pgErr.code.startsWith('08')) {
    return new BqxError('BQX_DB', `lost the database connection: ${pgErr.message}`, {
      hint: 'the server ended the session (restart, pg_terminate_backend, network); what was in flight rolled back: rerun the command',
      details: { sqlstate: pgErr.code, connection: true },
      cause: err,
    });
  }
  if (pgErr.code === '55P03') {
    return new BqxError('BQX_LOCKED', `gave up waiting for a lock after lock_timeout: ${pgErr.message}`, {
      hint: 'another session holds it (see pg_locks joined with pg_stat_activity); rerun when it is done, or raise BQX_LOCK_TIMEOUT',
      details: { sqlstate: pgErr.code },
      cause: err,
    });
  }
  if (pgErr.code === '42883' && /function bqx\./.test(pgErr.message)) {
    return new BqxError('BQX_CONFIG', pgErr.message, {
      hint: 'a function of the store is missing (an interrupted migrate?): run `bqx migrate`; `bqx doctor` lists what is missing',
      details: { sqlstate: pgErr.code },
      cause: err,
    });
  }
  const mapped = SQLSTATE_CODES[pgErr.code];
  if (mapped) return new BqxError(mapped, pgErr.message, { hint: pgErr.hint, cause: err });
  if (pgErr.code === '23514' && /no partition of relation/.test(pgErr.message)) {
    return new BqxError('BQX_NO_PARTITION', pgErr.message, {
      hint: 'run `bqx partitions ensure --family F --pairs P --from --to` for the range, or ingest through `bqx ingest`, which makes them',
      cause: err,
    });
  }
  return new BqxError('BQX_DB', `${pgErr.message}${pgErr.detail ? ` (${pgErr.detail})` : ''}`, {
    hint: pgErr.hint,
    details: { sqlstate: pgErr.code },
    cause: err,
  });
}
