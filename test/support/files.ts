/** Temp files for fixtures: each test writes the exact bytes a real export would have. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqx-test-'));
// a test file's fixtures and outputs (datasets run to hundreds of MB) go when the file is done (this
// module is evaluated once per test file, so the hook joins that file's root suite)
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

export function tmpPath(name: string): string {
  return path.join(dir, name);
}

export function writeTmp(name: string, content: string): string {
  const p = tmpPath(name);
  fs.writeFileSync(p, content);
  return p;
}
