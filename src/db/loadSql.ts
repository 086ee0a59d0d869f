/**
 * Reads a query kept in a .sql file beside the module that runs it (house style: SQL lives in .sql
 * files). Cached, since the files do not change while the process runs.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, string>();

export function loadSql(moduleUrl: string, relPath: string): string {
  const abs = fileURLToPath(new URL(relPath, moduleUrl));
  let text = cache.get(abs);
  if (text === undefined) {
    text = fs.readFileSync(abs, 'utf8');
    cache.set(abs, text);
  }
  return text;
}
