/** Output helpers: --json prints one JSON document on stdout; otherwise human text. Progress goes to stderr. */
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

/** Seconds between progress lines off a terminal (BQX_PROGRESS_SECONDS, default 5). */
export function progressInterval(): number {
  const s = Number(process.env.BQX_PROGRESS_SECONDS ?? 5);
  return Number.isFinite(s) && s > 0 ? s : 5;
}

/** A rate that stays readable below 1 per second (a dataset builds a pair in tens of seconds). */
export function formatRate(perSecond: number, unit: string): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return `- ${unit}/s`;
  if (perSecond >= 100) return `${Math.round(perSecond)} ${unit}/s`;
  if (perSecond >= 1) return `${perSecond.toFixed(1)} ${unit}/s`;
  const perMinute = perSecond * 60;
  return `${perMinute >= 10 ? Math.round(perMinute) : perMinute.toFixed(1)} ${unit}/min`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * The ETA from the average rate since the start. cli-progress estimates from its last few updates,
 * which jumps by minutes when units of very different cost (a technical family, then a time family)
 * finish in turn; the mix of a run is steady, so the whole-run average is the better predictor.
 */
export function estimate(done: number, total: number, elapsedSeconds: number): { rate: number; eta: number | null } {
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  return { rate, eta: total > 0 && done > 0 && rate > 0 ? (total - done) / rate : null };
}

/**
 * Progress of a long step. On a terminal: a bar on stderr. Off a terminal (piped, CI, journald): a plain
 * line on stderr every few seconds, even while the count stands still, so a log never goes quiet; with
 * --json the same as JSON lines. `total` 0 means unknown (a count and a rate, no ETA).
 */
export function progress(opts: GlobalOptions, label: string, total: number, unit = 'rows'): Progress {
  const t0 = Date.now();
  let value = 0;
  const line = () => {
    const { rate, eta } = estimate(value, total, (Date.now() - t0) / 1000);
    return { rate, eta };
  };
  if (!process.stderr.isTTY || opts.json) {
    const tick = () => {
      const { rate, eta } = line();
      const elapsed = (Date.now() - t0) / 1000;
      if (opts.json) {
        process.stderr.write(
          JSON.stringify({
            ts: new Date().toISOString(),
            event: 'progress',
            task: label,
            done: value,
            total: total || null,
            unit,
            rate_per_s: Number(rate.toPrecision(4)),
            elapsed_s: Math.round(elapsed),
            eta_s: eta === null ? null : Math.round(eta),
          }) + '\n',
        );
      } else {
        const pct = total > 0 ? ` (${Math.floor((100 * value) / total)}%)` : '';
        // at 100% the step is finishing (an ingest moves its staged rows, a build writes its files): no rate
        const pace =
          total > 0 && value >= total ? 'finishing' : `${formatRate(rate, unit)}${eta === null ? '' : `, ETA ${formatDuration(eta)}`}`;
        process.stderr.write(
          `  ${label}: ${value}${total > 0 ? `/${total}` : ''} ${unit}${pct}, ${pace}, ${formatDuration(elapsed)} elapsed\n`,
        );
      }
    };
    const timer = setInterval(tick, progressInterval() * 1000);
    timer.unref();
    return {
      update(v) {
        value = v;
      },
      stop() {
        clearInterval(timer);
      },
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(14)} [{bar}] {percentage}% | {value}/{total} ${unit} | {rateText} | ETA {etaText}`,
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rateText: formatRate(0, unit), etaText: '-' });
  return {
    update(v, payload) {
      value = v;
      const { rate, eta } = line();
      bar.update(v, { rateText: formatRate(rate, unit), etaText: eta === null ? '-' : formatDuration(eta), ...payload });
    },
    stop() {
      bar.stop();
    },
  };
}

/**
 * The steps of a long command (the demo): each step is a line on stderr (a JSON line with --json); off a
 * terminal, while a step runs without a progress bar, a line every few seconds says it is still running.
 */
export function stepLog(opts: GlobalOptions): {
  step(text: string): void;
  bar(label: string, total: number, unit?: string): Progress;
  stop(): void;
} {
  let current: { text: string; t0: number } | null = null;
  let active: Progress | null = null;
  const tty = process.stderr.isTTY && !opts.json;
  const emit = (event: string, text: string, extra: Record<string, unknown> = {}) => {
    if (opts.json) process.stderr.write(JSON.stringify({ ts: new Date().toISOString(), event, step: text, ...extra }) + '\n');
    else
      process.stderr.write(
        event === 'step' ? `- ${text}\n` : `  ${text}: still running, ${formatDuration(Number(extra.elapsed_s))} elapsed\n`,
      );
  };
  const timer = tty
    ? null
    : setInterval(() => {
        if (current && !active) emit('running', current.text, { elapsed_s: Math.round((Date.now() - current.t0) / 1000) });
      }, progressInterval() * 1000);
  timer?.unref();
  return {
    step(text) {
      active?.stop();
      active = null;
      current = { text, t0: Date.now() };
      emit('step', text);
    },
    bar(label, total, unit = 'rows') {
      active ??= progress(opts, label, total, unit);
      return active;
    },
    stop() {
      active?.stop();
      active = null;
      if (timer) clearInterval(timer);
    },
  };
}

export function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  const width = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(width[i]))
      .join('  ')
      .trimEnd();
  return [line(columns), line(width.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
