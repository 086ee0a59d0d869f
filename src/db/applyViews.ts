/**
 * The view phase of `bqx migrate`, last, in its own transaction (the caller's): it is the one that
 * takes the ACCESS EXCLUSIVE locks analysts' queries wait on, so it takes them only at its very end.
 * The views to apply (changed files, drifted objects) and every view that reads them are first built
 * under shadow names (bqx.<name>__new, reading each other's shadows), which locks nothing readers use
 * and works whatever the column lists become (a column added in the middle cannot be
 * `create or replace`d); then the old views are dropped, dependents first, and the shadows renamed into
 * place: milliseconds of locks, in one transaction, so readers see the old views or the new ones,
 * never none. Objects whose sql/ file was deleted are dropped here too.
 */
import type pg from 'pg';
import { type ApplyResult, pendingFiles, recordApplied, recordedObjects } from './applySql.ts';
import { BqxError } from './errors.ts';
import { loadSql } from './loadSql.ts';
import { readSqlFiles, type SqlFile } from './sqlFiles.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

const SHADOW = '__new';
/** The replaced views, renamed out of the way by the swap and dropped after it committed. */
const RETIRED = '__old';

export interface ViewApplyResult extends ApplyResult {
  /** The files applied, for recordViews once the transaction committed. */
  files: SqlFile[];
}

const bare = (objectName: string) => objectName.split('.')[1];

export async function applyViewFiles(client: pg.ClientBase, files = readSqlFiles()): Promise<ViewApplyResult> {
  const views = files.filter((f) => f.kind === 'view');
  const pending = await pendingFiles(client, views);
  const rebuilt = pending.length ? await swapViews(client, views, pending) : [];
  const dropped = await dropOrphans(client, files);
  return { applied: rebuilt.map((f) => f.path), unchanged: views.length - rebuilt.length, dropped, files: rebuilt };
}

/**
 * Drops the views the swap retired, dependents first, in a transaction after it committed: only
 * queries that started before the swap still read them, and the drop waits (lock_timeout, retried) for
 * those alone, not for the readers of the new views.
 */
export async function dropRetiredViews(client: pg.ClientBase, applied: ViewApplyResult): Promise<void> {
  if (!applied.files.length) return;
  await client.query(
    [...applied.files]
      .reverse()
      .map((v) => `drop view if exists ${v.objectName}${RETIRED};`)
      .join('\n'),
  );
}

/**
 * Records the applied views, in a transaction after the swap committed: the md5 of a view's live
 * definition (pg_get_viewdef) takes seconds over the wide feature views and must not hold their locks.
 * A migrate killed in between leaves the old records; the next one re-applies the views (idempotent).
 */
export async function recordViews(client: pg.ClientBase, applied: ViewApplyResult): Promise<void> {
  await recordApplied(client, applied.files);
}

/** Builds the pending views and their dependents as shadows, then swaps them in. Returns the files applied. */
async function swapViews(client: pg.ClientBase, views: SqlFile[], pending: SqlFile[]): Promise<SqlFile[]> {
  const dependents = (
    await client.query<{ object_name: string; relkind: string }>(sql('view_dependents'), [pending.map((f) => f.objectName)])
  ).rows;
  const foreign = dependents.filter((d) => !views.some((v) => v.objectName === d.object_name));
  if (foreign.length) {
    throw new BqxError(
      'BQX_DRIFT',
      `views not defined in sql/ read views migrate re-creates: ${foreign.map((d) => d.object_name).join(', ')}`,
      {
        hint: 'drop them (and re-create them after bqx migrate), or add them to sql/views so migrate re-creates them',
      },
    );
  }
  const names = new Set([...pending.map((f) => f.objectName), ...dependents.map((d) => d.object_name)]);
  // readSqlFiles orders views dependencies first: build in that order, drop in reverse
  const set = views.filter((v) => names.has(v.objectName));
  const pattern = new RegExp(
    `\\b(${[...names]
      .sort((a, b) => b.length - a.length)
      .map((n) => n.replace('.', '\\.'))
      .join('|')})\\b`,
    'g',
  );
  const shadows = set.map((v) => v.text.replace(pattern, (n) => `${n}${SHADOW}`));
  const leftovers = [...set]
    .reverse()
    .flatMap((v) => [`drop view if exists ${v.objectName}${SHADOW};`, `drop view if exists ${v.objectName}${RETIRED};`]);
  await client.query([...leftovers, ...shadows].join('\n'));
  // The swap: the only statements that lock the live views, renames only (dropping views of hundreds
  // of columns takes a second; that is done after the commit, on views no new query reads). Object
  // names passed readSqlFiles' bqx.<identifier> check.
  const live = new Set(
    (await client.query<{ object_name: string }>(sql('live_views'), [set.map((v) => v.objectName)])).rows.map((r) => r.object_name),
  );
  await client.query(
    [
      ...set.filter((v) => live.has(v.objectName)).map((v) => `alter view ${v.objectName} rename to ${bare(v.objectName)}${RETIRED};`),
      ...set.map((v) => `alter view ${v.objectName}${SHADOW} rename to ${bare(v.objectName)};`),
    ].join('\n'),
  );
  return set;
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
        for (const o of (await client.query<{ signature: string }>(sql('function_overloads'), [r.object_name])).rows) {
          await client.query(`drop function ${o.signature}`);
          dropped.push(o.signature);
        }
      }
    }
    await client.query(sql('delete_object_record'), [r.path]);
  }
  return dropped;
}
