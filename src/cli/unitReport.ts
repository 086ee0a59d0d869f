/**
 * What `refresh`, `backfill` and `runner` show while units run: on a TTY a progress bar (units, rows,
 * partitions, rate, ETA); otherwise one JSON log line per unit on stderr, for journald or docker logs. At
 * the end, a table (or --json) of every unit.
 */
import cliProgress from 'cli-progress';
import type { UnitResult } from '../runner/runUnit.ts';
import { estimate, formatDuration, formatRate, type GlobalOptions, printResult, table } from './output.ts';

export interface UnitReporter {
  onUnit(r: UnitResult): void;
  stop(): void;
}

export function unitReporter(o: GlobalOptions, label: string, totalUnits: number | null): UnitReporter {
  let rows = 0;
  let partitions = 0;
  let done = 0;
  if (!o.json && process.stderr.isTTY && totalUnits) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label.padEnd(10)} [{bar}] {value}/{total} units | {rows} rows | {partitions} partitions | {rateText} | ETA {etaText}`,
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    const t0 = Date.now();
    bar.start(totalUnits, 0, { rows: 0, partitions: 0, rateText: formatRate(0, 'rows'), etaText: '-' });
    return {
      onUnit(r) {
        rows += r.rows;
        partitions += r.partitions;
        done++;
        const s = (Date.now() - t0) / 1000;
        const { eta } = estimate(done, totalUnits, s); // the whole run's average: steady where cli-progress's window jumps
        bar.update(done, {
          rows,
          partitions,
          rateText: formatRate(s > 0 ? rows / s : 0, 'rows'),
          etaText: eta === null ? '-' : formatDuration(eta),
        });
      },
      stop() {
        bar.stop();
      },
    };
  }
  return {
    onUnit(r) {
      process.stderr.write(
        JSON.stringify({
          ts: new Date().toISOString(),
          event: 'unit',
          command: label,
          pair: r.pair,
          family: r.family,
          from: new Date(r.from).toISOString(),
          to: new Date(r.to).toISOString(),
          status: r.status,
          rows: r.rows,
          partitions: r.partitions,
          seconds: Number(r.seconds.toFixed(3)),
          ...(r.error ? { error: r.error } : {}),
        }) + '\n',
      );
    },
    stop() {},
  };
}

export function printUnits(o: GlobalOptions, res: UnitResult[]): void {
  const view = res.map((r) => ({
    family: r.family,
    pair: r.pair,
    from: new Date(r.from).toISOString(),
    to: new Date(r.to).toISOString(),
    status: r.status,
    rows: r.rows,
    seconds: Number(r.seconds.toFixed(2)),
    rows_per_s: Math.round(r.rows / Math.max(r.seconds, 1e-9)),
    ...(r.error ? { error: r.error } : {}),
  }));
  printResult(o, view, () =>
    view.length
      ? table(view, ['family', 'pair', 'from', 'to', 'status', 'rows', 'seconds', 'rows_per_s', 'error'])
      : 'nothing to refresh: every family is up to date',
  );
}
