/** Opens a file to ingest: detects (or takes) its format, settles the pair, and returns its rows. */
import path from 'node:path';
import { BqxError } from '../db/errors.ts';
import { pairInfo } from '../features/pairs.ts';
import type { SourceRow } from './bar.ts';
import { checkFormat, detectFormat, type Format } from './detectFormat.ts';
import { parseDukascopy } from './formats/dukascopy.ts';
import { parseGenericCsv } from './formats/genericCsv.ts';
import { parseHistData } from './formats/histdata.ts';
import { type OandaStats, parseOanda } from './formats/oanda.ts';

export interface Source {
  label: string;
  /** The file the rows come from (absent for in-process sources). */
  file?: string;
  format: Format;
  /** What a row number means in messages: a line of a text file, or a candle of a JSON document. */
  rowNoun: 'line' | 'candle';
  /** Rows in batches: an async step per row would cost more than parsing it. */
  rows: AsyncIterable<SourceRow[]>;
  stats: OandaStats;
}

/** HistData and Dukascopy files name the pair only in the file name (DAT_ASCII_EURUSD_M1_2024.csv). */
function pairFromFileName(file: string): string | undefined {
  const m = /(?:^|[^A-Za-z])([A-Za-z]{6})(?:[^A-Za-z]|$)/.exec(path.basename(file));
  return m ? m[1].toLowerCase() : undefined;
}

export function openSource(file: string, opts: { format?: string; pair?: string } = {}): Source {
  const format = opts.format ? checkFormat(opts.format) : detectFormat(file);
  const pair = opts.pair ? pairInfo(opts.pair).pair : undefined;
  const stats: OandaStats = { incomplete: 0 };
  const needPair = () => {
    const p = pair ?? pairFromFileName(file);
    if (!p) {
      throw new BqxError('BQX_USAGE', `${file}: ${format} files do not name the pair inside`, {
        hint: 'pass --pair eurusd (or keep the pair in the file name)',
      });
    }
    return pairInfo(p).pair;
  };
  const rows =
    format === 'generic'
      ? parseGenericCsv(file, pair)
      : format === 'oanda'
        ? parseOanda(file, pair, stats)
        : format === 'histdata'
          ? parseHistData(file, needPair())
          : parseDukascopy(file, needPair());
  return { label: file, file, format, rowNoun: format === 'oanda' ? 'candle' : 'line', rows, stats };
}
