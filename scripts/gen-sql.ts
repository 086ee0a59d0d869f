/** Writes the generated refresh functions into sql/functions: node bin/run-ts.mjs scripts/gen-sql.ts */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/db/paths.ts';
import { generatedSqlFiles } from '../src/features/sqlgen/index.ts';

for (const f of generatedSqlFiles()) {
  fs.writeFileSync(path.join(ROOT, f.path), f.text);
  console.log(`wrote ${f.path} (${f.text.length} bytes)`);
}
