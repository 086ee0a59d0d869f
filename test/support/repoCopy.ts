/**
 * A scratch copy of the repository (sources, sql/, migrations/, scripts; node_modules linked) in which a
 * test or a benchmark makes the change a developer would (edit the catalog, run the generators) and runs
 * the CLI from it, so the path exercised is the real one without touching the checkout.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../src/db/paths.ts';

const execP = promisify(execFile);
const COPIED = ['src', 'sql', 'migrations', 'scripts', 'bin', 'package.json', 'tsconfig.json'];

export interface RepoCopy {
  dir: string;
  /** Replaces `from` (which must occur) by `to` in a file of the copy. */
  edit(file: string, from: string, to: string): void;
  /** node <file of the copy> args; resolves with the exit code and output (never rejects). */
  node(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The copy's CLI against a database. */
  bqx(url: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  remove(): void;
}

export function copyRepo(): RepoCopy {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bqx-repo-'));
  for (const p of COPIED) fs.cpSync(path.join(ROOT, p), path.join(dir, p), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const node = async (file: string, args: string[]) =>
    execP(process.execPath, [path.join(dir, file), ...args], {
      cwd: dir,
      env: { ...process.env, DATABASE_URL: '' },
      maxBuffer: 1 << 24,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
    );
  return {
    dir,
    edit(file, from, to) {
      const p = path.join(dir, file);
      const text = fs.readFileSync(p, 'utf8');
      if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
      fs.writeFileSync(p, text.replace(from, to));
    },
    node,
    bqx: (url, ...args) => node('bin/bqx.mjs', [...args, '--database-url', url]),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The catalog change the tests and the benchmark make: time_features (a family in the middle of the
 * order) gains is_sydney right after is_tokyo, in the catalog and in its SQL generator; then the
 * migration is generated (stamped now, as a developer's would be: after every committed one) and sql/
 * regenerated, as README "Changing the schema" says.
 */
export async function addSydneyColumn(repo: RepoCopy): Promise<string> {
  repo.edit(
    'src/features/catalog/time.ts',
    "    t('is_london',",
    "    t('is_sydney', '1 during the Sydney session 21:00-06:00 UTC, else 0'),\n    t('is_london',",
  );
  repo.edit(
    'src/features/sqlgen/time.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the edit's text is TypeScript source holding a template literal
    '    `${flag(inS(\'london\'))} as "is_london"`,',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: as above
    '    `${flag(\'mod >= 1260 or mod < 360\')} as "is_sydney"`,\n    `${flag(inS(\'london\'))} as "is_london"`,',
  );
  const gen = await repo.node('bin/run-ts.mjs', ['scripts/gen-catalog-migration.ts']);
  if (gen.code !== 0) throw new Error(`gen-catalog-migration failed: ${gen.stderr}`);
  const sqlGen = await repo.node('bin/run-ts.mjs', ['scripts/gen-sql.ts']);
  if (sqlGen.code !== 0) throw new Error(`gen-sql failed: ${sqlGen.stderr}`);
  return gen.stdout;
}
