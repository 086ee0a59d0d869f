/** Wires every command into one commander program. Each command lives in commands/, calling a library function. */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { ROOT } from '../db/paths.ts';
import * as backfill from './commands/backfill.ts';
import * as dataset from './commands/dataset.ts';
import * as db from './commands/db.ts';
import * as demo from './commands/demo.ts';
import * as doctor from './commands/doctor.ts';
import * as drift from './commands/drift.ts';
import * as ingest from './commands/ingest.ts';
import * as migrate from './commands/migrate.ts';
import * as partitions from './commands/partitions.ts';
import * as rebase from './commands/rebase.ts';
import * as refresh from './commands/refresh.ts';
import * as report from './commands/report.ts';
import * as roles from './commands/roles.ts';
import * as runner from './commands/runner.ts';
import * as serve from './commands/serve.ts';
import * as status from './commands/status.ts';
import * as synth from './commands/synth.ts';
import * as verify from './commands/verify.ts';
import { EXAMPLES } from './examples.ts';
import { alignPairOptions, HELP_CONFIG, resolvePairOptions } from './options.ts';

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  unexpected failure (a bug: please report it with the output)
  2  usage or configuration error (bad flag, missing --from, database not migrated)
  3  bad input (unknown pair or family, invalid rows, empty or malformed file, range too far ahead)
  4  conflict (a bar differs from the stored one; nothing was overwritten)
  5  drift (bqx doctor found the database out of step with the repository)
  6  database error
  7  locked (another process holds the unit)
  8  verify found violations (bqx verify)
  9  a dataset check failed (bqx dataset build: validation or leakage)

Database: DATABASE_URL or --database-url; without either, database bqx of an embedded PostgreSQL in
<tmpdir>/bqx-store/pg-54329 (BQX_EMBEDDED_DIR, BQX_EMBEDDED_PORT) that bqx starts and stops itself
(bqx demo builds it; bqx db start keeps the server running for psql; bqx db url prints its URL).`;

function* commands(cmd: Command): Generator<Command> {
  for (const c of cmd.commands) {
    yield c;
    yield* commands(c);
  }
}

const commandPath = (cmd: Command): string => (cmd.parent?.parent ? `${commandPath(cmd.parent)} ${cmd.name()}` : cmd.name());

export function version(): string {
  return (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export function buildProgram(): Command {
  // Settings a subcommand inherits are copied when it is created, so they come before register():
  // exitOverride makes commander's own usage errors (a missing required option, an unknown flag) reach
  // main.ts, which exits 2, instead of commander's process.exit(1).
  const program = new Command('bqx')
    .description('bqx-store: an in-database feature store for FX machine learning (28 pairs, 453 BQX features)')
    .version(version(), '-V, --version', 'print the version of bqx-store')
    .option('--database-url <url>', 'PostgreSQL to use (default: $DATABASE_URL, else the embedded server)')
    .addHelpText('after', EXIT_CODES_HELP)
    .configureHelp(HELP_CONFIG)
    .exitOverride()
    .showHelpAfterError()
    .enablePositionalOptions(false);
  // Every subcommand sees the global --database-url next to its own options.
  program.hook('preAction', (_root, action) => {
    const url = program.opts().databaseUrl;
    if (url && action.getOptionValue('databaseUrl') === undefined) action.setOptionValue('databaseUrl', url);
    resolvePairOptions(action);
  });
  for (const m of [
    migrate,
    doctor,
    partitions,
    ingest,
    synth,
    refresh,
    backfill,
    rebase,
    runner,
    status,
    verify,
    dataset,
    demo,
    serve,
    db,
    roles,
    drift,
    report,
  ])
    m.register(program);
  for (const cmd of commands(program)) {
    alignPairOptions(cmd);
    const ex = EXAMPLES[commandPath(cmd)];
    if (ex) cmd.addHelpText('after', `\nExample${ex.length > 1 ? 's' : ''}:\n${ex.map((e) => `  ${e}`).join('\n')}`);
  }
  return program;
}
