/**
 * Writes the release fixture the upgrade test runs (test/fixtures/release-<commit>.tar.gz) from git
 * history: node bin/run-ts.mjs scripts/export-release.ts
 * Only the paths the old CLI needs to migrate, ingest and refresh (RELEASE_PATHS); gzip -n so the bytes
 * depend on the commit alone, not on when the script ran.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT } from '../src/db/paths.ts';
import { RELEASE_COMMIT, RELEASE_FIXTURE, RELEASE_PATHS } from '../test/support/release.ts';

const tar = execFileSync('git', ['archive', '--format=tar', RELEASE_COMMIT, ...RELEASE_PATHS], { cwd: ROOT, maxBuffer: 1 << 28 });
// Node's gzip writes no timestamp or file name into the header, like gzip -n
const gz = zlib.gzipSync(tar, { level: 9 });
fs.mkdirSync(path.dirname(RELEASE_FIXTURE), { recursive: true });
fs.writeFileSync(RELEASE_FIXTURE, gz);
console.log(
  `wrote ${path.relative(ROOT, RELEASE_FIXTURE)} (${gz.length} bytes, ${RELEASE_COMMIT.slice(0, 7)}: ${RELEASE_PATHS.join(' ')})`,
);
