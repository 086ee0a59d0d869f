/** The SQL examples of README.md: every ```sql block, split into statements, tagged PostgreSQL or DuckDB. */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../src/db/paths.ts';

export interface SqlExample {
  engine: 'postgres' | 'duckdb';
  /** The comment lines before the statement (what the README says it does). */
  comment: string;
  sql: string;
}

export function readmeSqlExamples(file = path.join(ROOT, 'README.md')): SqlExample[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: SqlExample[] = [];
  for (const [, body] of text.matchAll(/^```sql\n([\s\S]*?)^```/gm)) {
    const engine = /^--\s*duckdb\b/.test(body.trim()) ? 'duckdb' : 'postgres';
    let comment: string[] = [];
    let stmt: string[] = [];
    for (const line of body.split('\n')) {
      if (stmt.length === 0 && /^\s*--/.test(line)) {
        comment.push(line.replace(/^\s*--\s?/, ''));
        continue;
      }
      if (line.trim() === '' && stmt.length === 0) continue;
      // a statement may end in a trailing comment: `select …;  -- what it does`
      const code = line.replace(/;\s*--.*$/, ';');
      stmt.push(code);
      if (/;\s*$/.test(code)) {
        out.push({ engine, comment: comment.join(' '), sql: stmt.join('\n').trim().replace(/;$/, '') });
        comment = [];
        stmt = [];
      }
    }
    if (stmt.join('').trim()) throw new Error(`README: a SQL example does not end with ';': ${stmt.join('\n')}`);
  }
  return out;
}
