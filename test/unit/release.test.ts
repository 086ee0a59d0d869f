/**
 * The release fixture the upgrade test runs (test/fixtures/release-76a5c77.tar.gz) is that commit's
 * tree: file for file and byte for byte when the commit is in this clone's history (a shallow CI clone
 * may not have it: then its layout is checked, and a full clone checks the rest).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/db/paths.ts';
import { tmpPath } from '../support/files.ts';
import { RELEASE_COMMIT, RELEASE_FIXTURE, RELEASE_PATHS } from '../support/release.ts';

/** Every file under dir, relative, sorted. */
function files(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

const inHistory = (() => {
  try {
    execFileSync('git', ['cat-file', '-e', `${RELEASE_COMMIT}^{commit}`], { cwd: ROOT, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('the release fixture', () => {
  it(`holds ${RELEASE_COMMIT.slice(0, 7)}'s ${RELEASE_PATHS.join(', ')}${inHistory ? ', equal to the commit' : ''}`, () => {
    const fixture = tmpPath('release-fixture');
    fs.mkdirSync(fixture);
    execFileSync('tar', ['-xzf', RELEASE_FIXTURE, '-C', fixture]);
    const got = files(fixture);
    // nothing beyond the paths the old CLI needs, and each of them present
    expect(got.filter((f) => !RELEASE_PATHS.some((p) => f === p || f.startsWith(`${p}/`)))).toEqual([]);
    for (const p of RELEASE_PATHS)
      expect(
        got.some((f) => f === p || f.startsWith(`${p}/`)),
        p,
      ).toBe(true);
    if (!inHistory) return;
    const commit = tmpPath('release-commit');
    fs.mkdirSync(commit);
    const tar = execFileSync('git', ['archive', '--format=tar', RELEASE_COMMIT, ...RELEASE_PATHS], { cwd: ROOT, maxBuffer: 1 << 28 });
    execFileSync('tar', ['-xf', '-', '-C', commit], { input: tar });
    expect(got).toEqual(files(commit));
    const differing = got.filter((f) => !fs.readFileSync(path.join(fixture, f)).equals(fs.readFileSync(path.join(commit, f))));
    expect(differing, 'run node bin/run-ts.mjs scripts/export-release.ts').toEqual([]);
  });
});
