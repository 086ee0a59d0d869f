/** Refuses a --reject-file that is the input itself: writing the rejects would overwrite the bars being loaded. */
import fs from 'node:fs';
import path from 'node:path';
import { BqxError } from '../db/errors.ts';

/** The path a file has once symlinks are resolved; for a file not made yet, its resolved directory + name. */
function resolved(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    /* not there yet */
  }
  try {
    return path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
  } catch {
    return abs;
  }
}

function sameFile(a: string, b: string): boolean {
  if (resolved(a) === resolved(b)) return true;
  // a hard link (or a bind mount) is the same file under another name
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

export function checkRejectFile(input: string, rejectFile: string): void {
  if (sameFile(input, rejectFile)) {
    throw new BqxError(
      'BQX_USAGE',
      `--reject-file ${rejectFile} is the input file ${input}: writing the rejected rows there would overwrite the bars`,
      {
        hint: 'name another file for the rejects, e.g. --reject-file rejects.csv',
      },
    );
  }
}
