/**
 * The bqx CLI of a tree (this checkout by default, or an older release or a patched copy) as a child
 * process against one database: the exit code and both streams, never a throw on a non-zero exit.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../src/db/paths.ts';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export type Cli = (url: string | null, ...args: string[]) => Promise<CliResult>;

/** DATABASE_URL is blanked so only the url given (as --database-url) decides, as a user's command line would. */
export function bqxCli(root = ROOT): Cli {
  const bin = path.join(root, 'bin', 'bqx.mjs');
  return async (url, ...args) => {
    try {
      const r = await run(process.execPath, [bin, ...args, ...(url ? ['--database-url', url] : [])], {
        env: { ...process.env, DATABASE_URL: '' },
        maxBuffer: 1 << 26,
      });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  };
}
