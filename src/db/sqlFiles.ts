/** The sql/ files applied after the migrations: one object per file, named after the object. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BqxError } from './errors.ts';
import { ROOT, SQL_APPLY_DIRS, SQL_DIR } from './paths.ts';

export interface SqlFile {
  /** Path relative to the repository, e.g. sql/functions/bqx.assert_pair.sql */
  path: string;
  objectName: string;
  kind: 'function' | 'view';
  text: string;
  checksum: string;
}

export function readSqlFiles(): SqlFile[] {
  const out: SqlFile[] = [];
  for (const dir of SQL_APPLY_DIRS) {
    const abs = path.join(SQL_DIR, dir);
    if (!fs.existsSync(abs)) continue;
    for (const name of fs
      .readdirSync(abs)
      .filter((n) => n.endsWith('.sql'))
      .sort()) {
      const objectName = name.slice(0, -4);
      if (!/^bqx\.[a-z_][a-z0-9_]*$/.test(objectName)) {
        throw new BqxError('BQX_DRIFT', `sql file ${dir}/${name} is not named after a bqx object`, {
          hint: 'name each file schema.object.sql, e.g. bqx.ensure_partitions.sql',
        });
      }
      const text = fs.readFileSync(path.join(abs, name), 'utf8');
      out.push({
        path: path.relative(ROOT, path.join(abs, name)),
        objectName,
        kind: dir === 'views' ? 'view' : 'function',
        text,
        checksum: crypto.createHash('sha256').update(text).digest('hex'),
      });
    }
  }
  return dependenciesFirst(out);
}

/**
 * Orders the files so that an object comes after every other sql/ object its text names (a view over
 * views: bqx.features reads bqx.features_{pair}); otherwise the order is by name. A cycle is a bug in
 * the files, named in the error.
 */
function dependenciesFirst(files: SqlFile[]): SqlFile[] {
  const byName = new Map(files.map((f) => [f.objectName, f]));
  const names = [...byName.keys()].map((n) => n.replace('.', '\\.'));
  // One pass over each text: which other objects does it name? (`\b` keeps bqx.features from
  // matching inside bqx.features_eurusd.)
  const pattern = new RegExp(`\\b(${names.join('|')})\\b`, 'g');
  const out: SqlFile[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (f: SqlFile, chain: string[]) => {
    if (state.get(f.objectName) === 'done') return;
    if (state.get(f.objectName) === 'visiting') {
      throw new BqxError('BQX_DRIFT', `sql files depend on each other in a cycle: ${[...chain, f.objectName].join(' -> ')}`, {
        hint: 'an object may not read an object that reads it',
      });
    }
    state.set(f.objectName, 'visiting');
    const deps = new Set([...f.text.matchAll(pattern)].map((m) => m[1]!).filter((n) => n !== f.objectName));
    for (const d of [...deps].sort()) {
      const dep = byName.get(d)!;
      // Functions may name views and views functions; only a view's reads decide its order.
      if (f.kind === 'view' && dep.kind === 'view') visit(dep, [...chain, f.objectName]);
    }
    state.set(f.objectName, 'done');
    out.push(f);
  };
  for (const f of files) visit(f, []);
  return out;
}
