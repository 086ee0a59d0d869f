/**
 * A working copy of this checkout in a temp dir, to change the catalog or a refresh function and run that
 * copy's generators and CLI, as a developer shipping the change would, without touching the repository.
 * node_modules is linked, not copied.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../src/db/paths.ts';

/** What the generators and `bqx migrate / ingest / refresh` of a copy read. */
const COPIED = ['bin', 'migrations', 'package.json', 'scripts', 'sql', 'src', 'tsconfig.json'];

export function copyRepo(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const p of COPIED) fs.cpSync(path.join(ROOT, p), path.join(dir, p), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * Replaces the one occurrence of `anchor` in `root/rel` with `replacement(anchor)`. Throws when the anchor
 * is missing or not unique, so a patch that no longer applies fails loudly instead of changing nothing.
 */
export function patchFile(root: string, rel: string, anchor: string, replacement: (anchor: string) => string): void {
  const file = path.join(root, rel);
  const text = fs.readFileSync(file, 'utf8');
  const at = text.indexOf(anchor);
  if (at < 0 || text.indexOf(anchor, at + 1) >= 0) {
    throw new Error(`patch of ${rel}: ${at < 0 ? 'anchor not found' : 'anchor not unique'}: ${JSON.stringify(anchor.slice(0, 80))}`);
  }
  fs.writeFileSync(file, text.slice(0, at) + replacement(anchor) + text.slice(at + anchor.length));
}
