/**
 * A login role for a test, a member of `group`, and the url that connects as it. Logins are
 * cluster-wide: callers name them per run and drop them afterwards. With a password: the embedded
 * server (and most real ones) authenticate by password, not trust.
 */
import type pg from 'pg';
import { quoteIdent, quoteLiteral } from '../../src/db/quote.ts';
import { loginUrl } from './urls.ts';

export async function createLogin(pool: pg.Pool, url: string, name: string, group: string, password: string): Promise<string> {
  await pool.query(`create role ${quoteIdent(name)} login password ${quoteLiteral(password)} in role ${quoteIdent(group)}`);
  return loginUrl(url, name, password);
}
