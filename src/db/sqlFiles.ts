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
    for (const name of fs.readdirSync(abs).filter((n) => n.endsWith('.sql')).sort()) {
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
  return out;
}
