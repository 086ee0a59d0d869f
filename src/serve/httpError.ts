/**
 * Errors as JSON with the CLI's codes: {error: {code, message, hint}}. The HTTP status follows the
 * code: 404 an unknown pair or no bar usable yet, 400 bad input (at, features, pairs), 401 no or a
 * wrong token, 503 the database, 500 anything else (a bug).
 */
import { BqxError, fromPgError } from '../db/errors.ts';

const STATUS: Partial<Record<string, number>> = {
  BQX_UNKNOWN_PAIR: 404,
  BQX_NO_DATA: 404,
  BQX_UNKNOWN_FEATURE: 400,
  BQX_BAD_RANGE: 400,
  BQX_USAGE: 400,
  BQX_UNAUTHORIZED: 401,
  BQX_DB: 503,
};

export interface HttpError {
  status: number;
  body: { error: { code: string; message: string; hint?: string } };
}

export function toHttpError(err: unknown): HttpError {
  const e = fromPgError(err);
  if (e instanceof BqxError) {
    return { status: STATUS[e.code] ?? 500, body: { error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) } } };
  }
  const pgLike = e as { code?: string; message?: string };
  // connection-level failures (class 08, 57P0x shutdown, 53 resources) mean the database, not the request
  if (typeof pgLike.code === 'string' && /^(08|57P|53)/.test(pgLike.code)) {
    return { status: 503, body: { error: { code: 'BQX_DB', message: `database unavailable: ${pgLike.message}` } } };
  }
  return {
    status: 500,
    body: { error: { code: 'BQX_INTERNAL', message: String(pgLike.message ?? e), hint: 'a bug: report it with this output' } },
  };
}
