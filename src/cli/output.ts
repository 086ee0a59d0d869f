/** Output helpers: --json prints one JSON document on stdout; otherwise human text. Progress goes to stderr on a TTY. */
import cliProgress from 'cli-progress';

export interface GlobalOptions {
  json?: boolean;
  databaseUrl?: string;
}

export function printResult(opts: GlobalOptions, value: unknown, human: () => string): void {
  if (opts.json) process.stdout.write(JSON.stringify(value, null, 2) + '\n');
  else process.stdout.write(human() + '\n');
}

export interface Progress {
  update(value: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

/** A progress bar on an interactive terminal (rows, rate, ETA); silent otherwise and under --json. */
export function progress(opts: GlobalOptions, label: string, total: number, unit = 'rows'): Progress {
  if (opts.json || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(14)} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const t0 = Date.now();
  bar.start(total, 0, { rate: 0 });
  return {
    update(value, payload) {
      const s = (Date.now() - t0) / 1000;
      bar.update(value, { rate: s > 0 ? Math.round(value / s) : 0, ...payload });
    },
    stop() { bar.stop(); },
  };
}

export function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  const width = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(width[i])).join('  ').trimEnd();
  return [line(columns), line(width.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
