/**
 * Event spines (bqx dataset build --spine FILE, spec section 10): a CSV or Parquet file of events
 * with columns pair and ts (any instant; no zone means UTC) and any others, carried through to the
 * dataset. Loaded into DuckDB table `spine` and checked: every row a known pair and an instant.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BqxError } from '../db/errors.ts';
import { PAIR_NAMES } from '../features/pairs.ts';
import { type DuckSession, duckIdent, duckLiteral, templateSql } from './DuckSession.ts';

export interface SpineInfo {
  file: string;
  format: 'csv' | 'parquet';
  events: number;
  /** Pairs with events, in the store's order. */
  pairs: string[];
  first: Date;
  last: Date;
  /** Columns carried through, in file order. */
  carried: string[];
  /** Events per pair. */
  perPair: Record<string, number>;
}

/** Output columns a carried column may not be named (the dataset's own). */
export const SPINE_RESERVED = ['event', 'ts', 'ts_utc', 'bar', 'split', 'pair', 'usable_at', 'label_end_ts', 'ts_text'];

export async function loadSpine(duck: DuckSession, file: string, reserved: string[]): Promise<SpineInfo> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new BqxError('BQX_FILE', `--spine ${file}: no such file`, { hint: 'give a CSV or Parquet file with columns pair, ts' });
  }
  const format = /\.parquet$/i.test(file) ? 'parquet' : 'csv';
  const source =
    format === 'parquet'
      ? `read_parquet(${duckLiteral(path.resolve(file))})`
      : `read_csv(${duckLiteral(path.resolve(file))}, header = true)`;
  let names: string[];
  try {
    names = (await duck.rows<{ column_name: string }>(`select column_name from (describe select * from ${source})`)).map(
      (r) => r.column_name,
    );
  } catch (err) {
    throw new BqxError('BQX_FILE', `--spine ${file}: cannot read it as ${format}: ${(err as Error).message}`, {
      hint: 'a CSV file with a header line, or a Parquet file (by its .parquet name)',
      cause: err,
    });
  }
  const missing = ['pair', 'ts'].filter((c) => !names.includes(c));
  if (missing.length) {
    throw new BqxError('BQX_FILE', `--spine ${file}: no column ${missing.join(', ')} (it has ${names.join(', ')})`, {
      hint: 'a spine needs columns pair and ts (the event instant); other columns are carried through',
    });
  }
  const carried = names.filter((c) => c !== 'pair' && c !== 'ts');
  const clash = carried.filter((c) => reserved.includes(c));
  if (clash.length) {
    throw new BqxError('BQX_FILE', `--spine ${file}: column(s) ${clash.join(', ')} would clash with the dataset's own columns`, {
      hint: 'rename them in the spine (the dataset adds event, ts_utc, split, the features and the labels)',
    });
  }
  await duck.run(templateSql('spine_load', { source, carried: carried.map((c) => `, ${duckIdent(c)}`).join('') }));
  const bad = await duck.rows<{ line: bigint; pair: string | null; ts_text: string | null; reason: string }>(
    templateSql('spine_check', { pairs: `[${PAIR_NAMES.map(duckLiteral).join(', ')}]` }),
  );
  if (bad.length) {
    throw new BqxError(
      'BQX_FILE',
      `--spine ${file}: ${bad.length === 20 ? '20 or more' : bad.length} row(s) are not events:\n${bad.map((b) => `  line ${Number(b.line)}: ${b.reason} (pair ${JSON.stringify(b.pair)}, ts ${JSON.stringify(b.ts_text)})`).join('\n')}`,
      {
        hint: 'every row needs a pair of the 28 majors (lower or upper case) and an ISO instant in ts (no zone means UTC)',
      },
    );
  }
  const stats = await duck.rows<{ pair: string; n: bigint; first: string; last: string }>(
    `select pair, count(*) as n, epoch_ms(min(ts))::varchar as first, epoch_ms(max(ts))::varchar as last from spine group by pair`,
  );
  if (!stats.length) throw new BqxError('BQX_FILE', `--spine ${file}: no events`, { hint: 'a spine needs at least one row' });
  const perPair = Object.fromEntries(stats.map((s) => [s.pair, Number(s.n)]));
  return {
    file: path.resolve(file),
    format,
    carried,
    perPair,
    events: stats.reduce((n, s) => n + Number(s.n), 0),
    pairs: PAIR_NAMES.filter((p) => p in perPair),
    first: new Date(Math.min(...stats.map((s) => Number(s.first)))),
    last: new Date(Math.max(...stats.map((s) => Number(s.last)))),
  };
}

/**
 * The range a spine build covers when --from/--to are not given: from 4 days before the first event
 * (its usable bar may be before a weekend close and a holiday) to a day after the last (so the purge
 * before --to does not take the last events' bars). Pass the range of a bar build to get its cuts.
 */
export function spineRange(s: SpineInfo): { from: number; to: number } {
  const minute = 60_000;
  return {
    from: Math.floor(s.first.getTime() / minute) * minute - 4 * 86_400_000,
    to: Math.floor(s.last.getTime() / minute) * minute + 86_400_000,
  };
}

/** Reads a spine once for its pairs and range (the CLI's defaults), in a DuckDB session of its own. */
export async function readSpineInfo(file: string): Promise<SpineInfo> {
  const { DuckSession } = await import('./DuckSession.ts');
  const duck = await DuckSession.open({ threads: 1 });
  try {
    return await loadSpine(duck, file, SPINE_RESERVED);
  } finally {
    duck.close();
  }
}
