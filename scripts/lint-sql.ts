/**
 * Lints the hand-written SQL with sqlfluff (rules in .sqlfluff): node bin/run-ts.mjs scripts/lint-sql.ts [--fix]
 * Left out, on purpose:
 * - the generated files (src/features/sqlgen writes them; their layout is the generator's, tested there);
 * - migrations/: they are checksummed (sql/schema/migrations.sha256), so a merged one is never re-formatted.
 * sqlfluff reads a PL/pgSQL body as one dollar-quoted literal, so a fix never touches a function body
 * (and never changes a family's definition fingerprint).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/db/paths.ts';
import { generatedSqlFiles } from '../src/features/sqlgen/index.ts';

const SKIP_DIRS = new Set(['node_modules', 'migrations', '.git', 'fixtures']);

function sqlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return SKIP_DIRS.has(e.name) ? [] : sqlFiles(p);
    return e.name.endsWith('.sql') ? [path.relative(ROOT, p)] : [];
  });
}

const generated = new Set(generatedSqlFiles().map((f) => path.normalize(f.path)));
const files = sqlFiles(ROOT)
  .filter((f) => !generated.has(path.normalize(f)))
  .sort();
const fix = process.argv.includes('--fix');
const probe = spawnSync('sqlfluff', ['--version'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) {
  console.error('lint:sql: sqlfluff is not installed. Install it with `apt-get install -y sqlfluff` (Debian) or `pip install sqlfluff`.');
  process.exit(2);
}
console.log(
  `lint:sql: ${probe.stdout.trim()} on ${files.length} hand-written files (${generated.size} generated ones left to their generator)`,
);
const run = spawnSync('sqlfluff', [fix ? 'fix' : 'lint', ...(fix ? ['-f'] : []), ...files], { cwd: ROOT, stdio: 'inherit' });
process.exit(run.status ?? 1);
