/**
 * An earlier release of bqx-store, kept as a committed tarball so the upgrade test needs no git history
 * (CI clones may be shallow). It holds what the old `bqx migrate / ingest / refresh` read: the CLI entry,
 * src, sql, migrations, package.json (its version) and tsconfig.json (tsx reads it). The old code runs
 * with this checkout's node_modules, symlinked in: dependencies have only grown since.
 * Written by scripts/export-release.ts; test/unit/release.test.ts checks it equals the commit.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../src/db/paths.ts';

/** The head of main when issue 15 (upgrades on a populated store) was filed. */
export const RELEASE_COMMIT = '76a5c77bda35f3d2e02062e98a98022b19ca7250';
export const RELEASE_PATHS = ['bin/bqx.mjs', 'migrations', 'package.json', 'sql', 'src', 'tsconfig.json'] as const;
export const RELEASE_FIXTURE = path.join(ROOT, 'test', 'fixtures', `release-${RELEASE_COMMIT.slice(0, 7)}.tar.gz`);

/** Unpacks the release into `dir` (made if missing) with node_modules linked in; returns `dir`. */
export function extractRelease(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xzf', RELEASE_FIXTURE, '-C', dir]);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}
