/** Temp files for fixtures: each test writes the exact bytes a real export would have. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqx-test-'));

export function tmpPath(name: string): string {
  return path.join(dir, name);
}

export function writeTmp(name: string, content: string): string {
  const p = tmpPath(name);
  fs.writeFileSync(p, content);
  return p;
}
