import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/db/paths.ts';
import { generatedSqlFiles } from '../../src/features/sqlgen/index.ts';

describe('generated SQL', () => {
  it('sql/ holds exactly what the generators write (run scripts/gen-sql.ts after changing them)', () => {
    for (const f of generatedSqlFiles()) {
      expect(fs.readFileSync(path.join(ROOT, f.path), 'utf8'), f.path).toBe(f.text);
    }
  });
});
