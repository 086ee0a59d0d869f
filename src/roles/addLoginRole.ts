/**
 * `bqx roles add`: a login role for a person or a service, a member of bqx_reader (analysts: SELECT on
 * every table and view) or bqx_writer (a runner or feed: reads, writes, refreshes). The group roles and
 * their grants come from the migrations; this only makes the login and the membership.
 */
import crypto from 'node:crypto';
import type pg from 'pg';
import { BqxError } from '../db/errors.ts';
import { loadSql } from '../db/loadSql.ts';
import { quoteIdent, quoteServerIdent } from '../db/quote.ts';
import { withLiterals } from '../db/withLiterals.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export type RoleKind = 'reader' | 'writer';

export interface AddRoleResult {
  role: string;
  group: 'bqx_reader' | 'bqx_writer';
  created: boolean;
  /** Set when the password was generated here: shown once, stored nowhere else. */
  generatedPassword?: string;
  passwordChanged: boolean;
}

export async function addLoginRole(pool: pg.Pool, name: string, kind: RoleKind, password?: string): Promise<AddRoleResult> {
  const role = quoteIdent(name);
  if (/^(bqx_|pg_)/.test(name) || name === 'postgres') {
    throw new BqxError('BQX_USAGE', `role name ${JSON.stringify(name)} is reserved`, {
      hint: 'pick a login name such as alice or feed_runner (not bqx_*, pg_* or postgres)',
    });
  }
  const group = kind === 'reader' ? 'bqx_reader' : 'bqx_writer';
  const client = await pool.connect();
  try {
    await client.query('begin');
    const existing = (await client.query<{ can_login: boolean }>(sql('role_exists'), [name])).rows[0] as { can_login: boolean } | undefined;
    const generated = existing || password !== undefined ? undefined : crypto.randomBytes(15).toString('base64url');
    const pw = password ?? generated;
    if (!existing) await client.query(withLiterals(client, sql('create_login').replaceAll(':role', role), [pw!]));
    else if (pw !== undefined) await client.query(withLiterals(client, sql('alter_login').replaceAll(':role', role), [pw]));
    else if (!existing.can_login) {
      throw new BqxError('BQX_USAGE', `role ${name} exists but cannot log in`, {
        hint: `give it a password: bqx roles add ${name} --${kind} --password …`,
      });
    }
    await client.query(sql('grant_role').replaceAll(':group', group).replaceAll(':role', role));
    const db = (await client.query<{ d: string }>(sql('current_database'))).rows[0].d;
    await client.query(sql('grant_connect').replaceAll(':database', quoteServerIdent(db)).replaceAll(':role', role));
    await client.query('commit');
    return {
      role: name,
      group,
      created: !existing,
      passwordChanged: pw !== undefined,
      ...(generated ? { generatedPassword: generated } : {}),
    };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
