/**
 * A build writes into a staging directory beside --out and swaps it in only when every stage and
 * check passed: a failed build leaves --out as it was (a previous dataset stays intact), and a re-run
 * starts clean. --out must be absent, empty, or a previous dataset (it has manifest.json).
 */
import fs from 'node:fs';
import path from 'node:path';
import { BqxError } from '../db/errors.ts';

export function checkOutDir(out: string): void {
  if (!fs.existsSync(out)) return;
  if (!fs.statSync(out).isDirectory()) {
    throw new BqxError('BQX_USAGE', `--out ${out} is a file`, { hint: 'give a directory (it is created if absent)' });
  }
  const entries = fs.readdirSync(out);
  if (entries.length && !entries.includes('manifest.json')) {
    throw new BqxError('BQX_USAGE', `--out ${out} is not empty and holds no dataset (no manifest.json)`, {
      hint: 'choose an empty or new directory; a previous dataset directory is replaced only when the new build succeeds',
    });
  }
}

export function stagingDir(out: string): string {
  const dir = path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.building-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Replaces --out by the finished staging directory (renames on one filesystem). */
export function publish(staging: string, out: string): void {
  const abs = path.resolve(out);
  const old = `${staging}.previous`;
  if (fs.existsSync(abs)) fs.renameSync(abs, old);
  fs.renameSync(staging, abs);
  fs.rmSync(old, { recursive: true, force: true });
}
