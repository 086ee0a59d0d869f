import type { Command } from 'commander';
import { EXIT } from '../../db/errors.ts';
import { doctor } from '../../verify/doctor.ts';
import { withDatabase } from '../context.ts';
import { type GlobalOptions, printResult, table } from '../output.ts';

export function register(program: Command): void {
  program
    .command('doctor')
    .description('report drift between migrations/, sql/, the catalog and the live database (exit 5 on drift)')
    .option('--json', 'print the report as JSON')
    .action(async (o: GlobalOptions) =>
      withDatabase(
        o,
        async (db) => {
          const r = await doctor(db.pool);
          printResult(
            o,
            r,
            () =>
              (r.ok
                ? `ok: ${r.checked.migrations} migrations, ${r.checked.sqlFiles} sql/ files, ${r.checked.families} families match the database`
                : `drift found:\n${table(r.findings as unknown as Record<string, unknown>[], ['area', 'object', 'status', 'detail'])}${r.fix ? `\nfix: ${r.fix}` : ''}`) +
              (r.warnings.length
                ? `\nwarnings (rows of an older definition; bqx refresh recomputes them):\n${table(r.warnings as unknown as Record<string, unknown>[], ['area', 'object', 'status', 'detail'])}`
                : ''),
          );
          if (!r.ok) process.exitCode = EXIT.drift;
        },
        { requireSchema: false },
      ),
    );
}
