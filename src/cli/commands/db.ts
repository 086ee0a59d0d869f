import type { Command } from 'commander';
import { embeddedUrl, startEmbedded } from '../../db/embedded.ts';
import type { GlobalOptions } from '../output.ts';

interface DbOpts extends GlobalOptions {
  database: string;
}

export function register(program: Command): void {
  const db = program
    .command('db')
    .description('the embedded PostgreSQL that bqx uses without DATABASE_URL: keep it running, print its URL');
  db.command('start')
    .description(
      'start the embedded server (initialising it on first use) and keep it running until Ctrl-C or SIGTERM, for psql and other clients',
    )
    .option('--database <name>', 'database to make sure exists', 'bqx')
    .action(async (o: DbOpts) => {
      const url = o.databaseUrl || process.env.DATABASE_URL;
      if (url) {
        process.stdout.write(`DATABASE_URL is set: bqx uses that server, not the embedded one; nothing to start\n`);
        return;
      }
      const server = await startEmbedded(o.database, (m) => process.stderr.write(`${m}\n`));
      if (!server.owned) {
        process.stdout.write(`${server.url}\nalready running (started by another process); psql "${server.url}"\n`);
        await server.stop();
        return;
      }
      process.stdout.write(`${server.url}\nrunning; connect with psql "${server.url}" (or any bqx command); Ctrl-C stops it\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.stop();
      process.stdout.write('stopped\n');
    });
  db.command('url')
    .description('print the URL bqx connects to: DATABASE_URL when set, else the embedded server (it does not start it)')
    .option('--database <name>', 'database on the embedded server', 'bqx')
    .action((o: DbOpts) => {
      process.stdout.write(`${o.databaseUrl || process.env.DATABASE_URL || embeddedUrl(o.database)}\n`);
    });
}
