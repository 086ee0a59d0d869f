/**
 * Re-applies sql/ idempotently after the migrations. A file is executed when its checksum differs from
 * the recorded one, when its live object was changed or dropped behind our back, or (functions) when
 * the signatures it defines were never recorded; otherwise it is skipped, so a second `bqx migrate` is
 * a no-op. Functions and partitions run in one transaction, views in a second, short one
 * (applyViews.ts): the view DDL takes the locks readers wait on.
 */
import type pg from 'pg';
import { BqxError } from './errors.ts';
import { loadSql } from './loadSql.ts';
import { readSqlFiles, type SqlFile } from './sqlFiles.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export interface ApplyResult {
  applied: string[];
  unchanged: number;
  /** Objects dropped: stale overloads, objects whose sql/ file was deleted. */
  dropped: string[];
}

export interface RecordedObject {
  path: string;
  object_name: string;
  kind: 'function' | 'view';
  checksum: string;
  live_md5: string;
  signatures: string[] | null;
}

export async function recordedObjects(client: pg.ClientBase): Promise<Map<string, RecordedObject>> {
  return new Map((await client.query<RecordedObject>(sql('recorded_objects'))).rows.map((r) => [r.path, r]));
}

/** The files of `files` that must run (reads only: no lock beyond the catalog's). */
export async function pendingFiles(client: pg.ClientBase, files: SqlFile[]): Promise<SqlFile[]> {
  const recorded = await recordedObjects(client);
  const hasMd5Fn = (await client.query<{ ok: boolean }>(sql('has_object_md5'))).rows[0].ok;
  const out: SqlFile[] = [];
  for (const f of files) {
    const rec = recorded.get(f.path);
    if (rec && rec.checksum === f.checksum && hasMd5Fn && (f.kind === 'view' || rec.signatures !== null)) {
      const live = (await client.query<{ md5: string | null }>(sql('object_md5'), [f.kind, f.objectName])).rows[0].md5;
      if (live === rec.live_md5) continue;
    }
    out.push(f);
  }
  return out;
}

/** Records applied files with their live md5 (and signatures); a file that made no object is an error. */
export async function recordApplied(client: pg.ClientBase, files: SqlFile[], signatures: Map<string, string[]> = new Map()): Promise<void> {
  if (!files.length) return;
  const rows = files.map((f) => ({
    path: f.path,
    object_name: f.objectName,
    kind: f.kind,
    checksum: f.checksum,
    signatures: f.kind === 'function' ? (signatures.get(f.objectName) ?? []) : null,
  }));
  const res = await client.query<{ path: string; live_md5: string | null }>(sql('record_objects'), [JSON.stringify(rows)]);
  const missing = res.rows.find((r) => r.live_md5 === null);
  if (missing) {
    const f = files.find((x) => x.path === missing.path)!;
    throw new BqxError('BQX_DRIFT', `${f.path} ran but did not create ${f.objectName}`, {
      hint: 'a sql/ file must create the object it is named after',
    });
  }
}

/**
 * The functions and partitions files, inside the caller's transaction. After running them it drops
 * the overloads of their names that no file defines (a signature change leaves the old one behind).
 */
export async function applyFunctionFiles(client: pg.ClientBase, files = readSqlFiles()): Promise<ApplyResult> {
  const fns = files.filter((f) => f.kind === 'function');
  const pending = await pendingFiles(client, fns);
  for (const f of pending) await client.query(f.text);
  const signatures = new Map<string, string[]>(
    pending.length
      ? (
          await client.query<{ object_name: string; signatures: string[] }>(sql('defined_signatures'), [pending.map((f) => f.objectName)])
        ).rows.map((r) => [r.object_name, r.signatures])
      : [],
  );
  // Record first (the stale query reads the recorded signatures), drop, then record again: the live
  // md5 covers every overload of the name, so it must be taken after the drop.
  await recordApplied(client, pending, signatures);
  const dropped: string[] = [];
  const droppedFrom = new Set<string>();
  for (const s of (await client.query<{ signature: string; object_name: string; path: string }>(sql('stale_overloads'))).rows) {
    droppedFrom.add(s.object_name);
    // the signature is regprocedure output (quoted as needed by Postgres itself), not input
    await client.query(`drop function ${s.signature}`);
    dropped.push(s.signature);
  }
  if (dropped.length) {
    const recorded = await recordedObjects(client);
    const touched = fns.filter((f) => droppedFrom.has(f.objectName));
    await recordApplied(client, touched, new Map(touched.map((f) => [f.objectName, recorded.get(f.path)?.signatures ?? []])));
  }
  return { applied: pending.map((f) => f.path), unchanged: fns.length - pending.length, dropped };
}
