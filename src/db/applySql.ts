/**
 * Re-applies sql/ (functions, partitions, views) idempotently after the migrations. A file is executed
 * when its checksum differs from the recorded one or when its live object was changed or dropped
 * behind our back; otherwise it is skipped, so a second `bqx migrate` is a no-op.
 */
import type pg from 'pg';
import { BqxError } from './errors.ts';
import { loadSql } from './loadSql.ts';
import { readSqlFiles } from './sqlFiles.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

export interface ApplyResult {
  applied: string[];
  unchanged: number;
}

export async function applySqlFiles(client: pg.ClientBase): Promise<ApplyResult> {
  const files = readSqlFiles();
  const recorded = new Map<string, { checksum: string; live_md5: string }>();
  for (const r of (await client.query(sql('recorded_objects'))).rows) recorded.set(r.path, r);
  const hasMd5Fn = (await client.query(sql('has_object_md5'))).rows[0].ok;

  const applied: string[] = [];
  for (const f of files) {
    const rec = recorded.get(f.path);
    if (rec && rec.checksum === f.checksum && hasMd5Fn) {
      const live = (await client.query(sql('object_md5'), [f.kind, f.objectName])).rows[0].md5;
      if (live === rec.live_md5) continue;
    }
    await client.query(f.text);
    applied.push(f.path);
  }
  // Record after all files ran, so object_md5 itself exists on the very first apply.
  for (const p of applied) {
    const f = files.find((x) => x.path === p)!;
    const live = (await client.query(sql('object_md5'), [f.kind, f.objectName])).rows[0].md5;
    if (live === null) {
      throw new BqxError('BQX_DRIFT', `${f.path} ran but did not create ${f.objectName}`, {
        hint: 'a sql/ file must create the object it is named after',
      });
    }
    await client.query(
      sql('record_object'),
      [f.path, f.objectName, f.kind, f.checksum, live],
    );
  }
  return { applied, unchanged: files.length - applied.length };
}
