import type { Command } from 'commander';
import { BqxError } from '../../db/errors.ts';
import { addLoginRole } from '../../roles/addLoginRole.ts';
import { withDatabase } from '../context.ts';
import { type GlobalOptions, printResult } from '../output.ts';

interface RoleOpts extends GlobalOptions {
  reader?: boolean;
  writer?: boolean;
  password?: string;
}

export function register(program: Command): void {
  const roles = program.command('roles').description('login roles for analysts and services');
  roles
    .command('add')
    .description(
      'create a login role (or update its password) and make it a member of bqx_reader (read-only) or bqx_writer (runner, feeds)',
    )
    .argument('<name>', 'the login name (lower-case letters, digits, _)')
    .option('--reader', 'SELECT on every table and view of bqx, the read-only functions; no writes')
    .option('--writer', 'read and write the tables, run the refresh functions (what bqx runner needs)')
    .option('--password <pw>', 'its password (default: a random one, printed once)')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, o: RoleOpts) => {
      if (!!o.reader === !!o.writer)
        throw new BqxError('BQX_USAGE', 'roles add needs exactly one of --reader and --writer', {
          hint: `e.g. bqx roles add ${name} --reader`,
        });
      await withDatabase(o, async (db) => {
        const r = await addLoginRole(db.pool, name, o.reader ? 'reader' : 'writer', o.password);
        const url = new URL(db.url);
        url.username = r.role;
        url.password = o.password ?? r.generatedPassword ?? '';
        const loginUrl = url.password ? url.toString() : url.toString().replace(`${r.role}@`, `${r.role}:<password>@`);
        printResult(o, { ...r, url: loginUrl }, () =>
          [
            `${r.created ? 'created' : 'updated'} login ${r.role}, a member of ${r.group}${r.passwordChanged ? (r.generatedPassword ? `; password: ${r.generatedPassword} (shown once)` : '; password set') : ''}`,
            `connect: psql "${loginUrl}"`,
            ...(db.embedded
              ? ['  (the embedded server stops when a bqx command ends: keep it up with `bqx db start` while you connect)']
              : []),
          ].join('\n'),
        );
      });
    });
}
