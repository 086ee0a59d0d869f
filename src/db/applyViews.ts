/**
 * The view phase of `bqx migrate`, run in its own short transaction (the caller's), last: it takes the
 * ACCESS EXCLUSIVE locks analysts' queries wait on. Views whose columns stay in place are replaced
 * (`create or replace`); a view whose column list changed (a column added in the middle, renamed or
 * removed) cannot be, so it is dropped with every view that reads it and they are all re-created,
 * dependencies first, in the same transaction: readers see the old views or the new ones, never none.
 * Objects whose sql/ file was deleted are dropped here too.
 */
import type pg from 'pg';
import { pendingFiles, recordApplied, recordedObjects, type ApplyResult } from './applySql.ts';
import { BqxError } from './errors.ts';
import { loadSql } from './loadSql.ts';
import { readSqlFiles, type SqlFile } from './sqlFiles.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

/** 42P16 invalid_table_definition: "cannot change name of view column", "cannot drop columns from view" ... */
const VIEW_SHAPE_CHANGED = '42P16';

export async function applyViewFiles(client: pg.ClientBase, files = readSqlFiles()): Promise<ApplyResult> {
  const views = files.filter((f) => f.kind === 'view');
  let pending = await pendingFiles(client, views);
  if (pending.length) {
    await client.query('savepoint bqx_views');
    try {
      // one round trip: the locks are held from the first statement to the commit
      await client.query(pending.map((f) => f.text).join('\n'));
      await client.query('release savepoint bqx_views');
    } catch (err) {
      if ((err as { code?: string }).code !== VIEW_SHAPE_CHANGED) throw err;
      await client.query('rollback to savepoint bqx_views');
      pending = await rebuildViews(client, views, pending);
    }
  }
  await recordApplied(client, pending);
  const dropped = await dropOrphans(client, files);
  return { applied: pending.map((f) => f.path), unchanged: views.length - pending.length, dropped };
}

/** Drops the pending views and every view that reads them, then creates them all, dependencies first. */
async function rebuildViews(client: pg.ClientBase, views: SqlFile[], pending: SqlFile[]): Promise<SqlFile[]> {
  const dependents = (await client.query(sql('view_dependents'), [pending.map((f) => f.objectName)])).rows;
  const foreign = dependents.filter((d) => !views.some((v) => v.objectName === d.object_name));
  if (foreign.length) {
    throw new BqxError('BQX_DRIFT', `views not defined in sql/ read views whose columns change: ${foreign.map((d) => d.object_name).join(', ')}`, {
      hint: 'drop them (and re-create them after bqx migrate), or add them to sql/views so migrate re-creates them',
    });
  }
  const names = new Set([...pending.map((f) => f.objectName), ...dependents.map((d) => d.object_name)]);
  // readSqlFiles orders views dependencies first: drop in reverse, create in order
  const all = views.filter((v) => names.has(v.objectName));
  const drops = [...all].reverse().map((v) => `drop view if exists ${v.objectName};`);
  await client.query([...drops, ...all.map((v) => v.text)].join('\n'));
  return all;
}

/** Drops the objects migrate recorded whose sql/ file is gone (unless another file now defines them). */
async function dropOrphans(client: pg.ClientBase, files: SqlFile[]): Promise<string[]> {
  const dropped: string[] = [];
  const recorded = [...(await recordedObjects(client)).values()].filter((r) => !files.some((f) => f.path === r.path));
  // views first: a view may read a function that goes too
  for (const r of recorded.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'view' ? -1 : 1))) {
    if (!files.some((f) => f.objectName === r.object_name)) {
      if (r.kind === 'view') {
        // object_name passed readSqlFiles' bqx.<identifier> check when it was recorded
        await client.query(`drop view if exists ${r.object_name}`);
        dropped.push(r.object_name);
      } else {
        for (const o of (await client.query(sql('function_overloads'), [r.object_name])).rows) {
          await client.query(`drop function ${o.signature}`);
          dropped.push(o.signature);
        }
      }
    }
    await client.query(sql('delete_object_record'), [r.path]);
  }
  return dropped;
}
