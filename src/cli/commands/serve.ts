import type { Command } from 'commander';
import { startServe } from '../../serve/serve.ts';
import { withDatabase } from '../context.ts';
import { parseIntOption } from '../options.ts';
import type { GlobalOptions } from '../output.ts';

interface ServeOpts extends GlobalOptions {
  host: string;
  port: string;
  insecure?: boolean;
  allowWriter?: boolean;
  role: string;
  connections: string;
  cacheMaxAge: string;
  cacheMb: string;
}

const log = (e: Record<string, unknown>) => process.stderr.write(JSON.stringify({ ts: new Date().toISOString(), ...e }) + '\n');

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'HTTP API of point-in-time feature vectors: GET /v1/features/{pair}?at=&features=, /v1/features?pairs=, /healthz, /metrics. Bearer token from BQX_SERVE_TOKEN; read-only role; SIGTERM finishes requests in flight and exits 0',
    )
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <n>', 'port', '8433')
    .option('--insecure', 'serve without a token (only on a loopback --host)')
    .option('--role <role>', 'read-only role every connection runs as (SET ROLE); "none" keeps the login\'s own', 'bqx_reader')
    .option('--allow-writer', 'accept a role that can write bqx tables')
    .option('--connections <n>', 'database connections', '4')
    .option(
      '--cache-max-age <seconds>',
      "cache vectors per (pair, minute), dropped on every write's bqx_vectors notification; at most this old in any case (0: no cache)",
      '60',
    )
    .option('--cache-mb <n>', 'memory for cached vectors, MiB', '64')
    .action(async (o: ServeOpts) => {
      const port = parseIntOption('--port', o.port, 0);
      const connections = parseIntOption('--connections', o.connections, 1);
      const cacheMaxAgeSeconds = parseIntOption('--cache-max-age', o.cacheMaxAge, 0);
      const cacheMegabytes = parseIntOption('--cache-mb', o.cacheMb, 1);
      await withDatabase(
        o,
        async (db) => {
          const s = await startServe({
            url: db.url,
            host: o.host,
            port,
            token: process.env.BQX_SERVE_TOKEN || null,
            insecure: o.insecure === true,
            allowWriter: o.allowWriter === true,
            role: o.role === 'none' ? null : o.role,
            connections,
            cacheMaxAgeSeconds,
            cacheMegabytes,
            log,
          });
          await s.closed;
        },
        { maxConnections: 1 },
      );
    });
}
