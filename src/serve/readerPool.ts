/**
 * The serving connections: a pool whose every session runs as a read-only role (`-c role=…` in the
 * startup packet: the same as SET ROLE, before any query) with read-only transactions, so the server
 * cannot write even through a bug. The login must be a member of that role (`grant bqx_reader to
 * login`). checkReaderPool refuses a session that could still write, unless allowWriter.
 */
import pg from 'pg';
import { BqxError, fromPgError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';

export interface ReaderPoolOptions {
  url: string;
  /** The role every session switches to (default bqx_reader); null keeps the login's own role. */
  role: string | null;
  max: number;
}

/** The startup options of every serving session (the pool's and the cache listener's). */
export function readerSessionOptions(role: string | null): string {
  // a startup option takes the name as it is (no quoting), so only plain role names are accepted
  if (role !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(role)) {
    throw new BqxError('BQX_USAGE', `--role ${JSON.stringify(role)} is not a plain role name`, {
      hint: 'a lower-case role such as bqx_reader',
    });
  }
  return `-c TimeZone=UTC -c default_transaction_read_only=on${role === null ? '' : ` -c role=${role}`}`;
}

export function makeReaderPool(o: ReaderPoolOptions): pg.Pool {
  const pool = new pg.Pool({ connectionString: o.url, max: o.max, application_name: 'bqx-serve', options: readerSessionOptions(o.role) });
  pool.on('error', () => {});
  return pool;
}

export interface RoleCheck {
  role: string;
  login: string;
  canWrite: boolean;
}

export async function checkReaderPool(pool: pg.Pool, o: { role: string | null; allowWriter: boolean }): Promise<RoleCheck> {
  let r: { role: string; login: string; can_write: boolean; can_serve: boolean };
  try {
    r = (
      await pool.query<{ role: string; login: string; can_write: boolean; can_serve: boolean }>(
        loadSql(import.meta.url, './sql/role_check.sql'),
      )
    ).rows[0];
  } catch (err) {
    const e = fromPgError(err) as { code?: string; message: string };
    if (o.role !== null && /permission denied to set role|role .* does not exist/.test(e.message)) {
      throw new BqxError('BQX_CONFIG', `bqx serve connects as role ${o.role}, which this login cannot take: ${e.message}`, {
        hint: `grant ${o.role} to the login (grant ${o.role} to <login>;), or pass --role NAME for another read-only role`,
        cause: err,
      });
    }
    if (/function bqx\.feature_vector\(.*does not exist/.test(e.message)) {
      throw new BqxError('BQX_CONFIG', 'the database has no bqx.feature_vector yet', { hint: 'run `bqx migrate` first', cause: err });
    }
    throw e;
  }
  if (!r.can_serve) {
    throw new BqxError('BQX_CONFIG', `role ${r.role} may not execute bqx.feature_vector`, {
      hint: 'run `bqx migrate` (it grants the serving functions to bqx_reader), or serve as bqx_reader',
    });
  }
  if (r.can_write && !o.allowWriter) {
    throw new BqxError('BQX_CONFIG', `bqx serve would run as ${r.role} (login ${r.login}), which can write to bqx tables`, {
      hint: 'serve as a read-only role (the default --role bqx_reader, granted to the login), or pass --allow-writer to accept it',
    });
  }
  return { role: r.role, login: r.login, canWrite: r.can_write };
}
