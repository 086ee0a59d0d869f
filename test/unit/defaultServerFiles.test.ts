/**
 * The db-embedded project's file list (test/support/defaultServerProject.ts): vitest silently runs nothing
 * for a path that names no file, so a renamed test would drop out of the PostgreSQL 18 run unnoticed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/db/paths.ts';
import { DEFAULT_SERVER_FILES } from '../support/defaultServerProject.ts';

describe('the db files run on the default server too', () => {
  it('names existing db test files, each once', () => {
    expect(DEFAULT_SERVER_FILES.length).toBeGreaterThan(10);
    expect(new Set(DEFAULT_SERVER_FILES).size).toBe(DEFAULT_SERVER_FILES.length);
    for (const f of DEFAULT_SERVER_FILES) {
      expect(f, f).toMatch(/^test\/db\/[A-Za-z]+\.test\.ts$/);
      expect(fs.existsSync(path.join(ROOT, f)), f).toBe(true);
    }
  });

  it('keeps the in-engine SQL, the upgrade and the fresh machine demo on it', () => {
    for (const f of ['features', 'correlation', 'currencyStrength', 'numerics', 'schema', 'upgrade', 'demo', 'ingest'])
      expect(DEFAULT_SERVER_FILES).toContain(`test/db/${f}.test.ts`);
  });
});
