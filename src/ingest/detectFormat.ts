/** Tells the format of a file to ingest from its first bytes; `--format` overrides. */
import fs from 'node:fs';
import { BqxError } from '../db/errors.ts';

export const FORMATS = ['generic', 'oanda', 'histdata', 'dukascopy'] as const;
export type Format = (typeof FORMATS)[number];

export function checkFormat(name: string): Format {
  if ((FORMATS as readonly string[]).includes(name)) return name as Format;
  throw new BqxError('BQX_USAGE', `unknown format ${JSON.stringify(name)}`, { hint: `use one of: ${FORMATS.join(', ')}` });
}

export function detectFormat(file: string): Format {
  let head: string;
  try {
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    head = buf
      .subarray(0, n)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } catch (err) {
    throw new BqxError('BQX_FILE', `cannot read ${file}: ${(err as Error).message}`, { hint: 'check the path and its permissions' });
  }
  if (head.trim() === '') {
    throw new BqxError('BQX_INGEST_EMPTY', `${file} is empty`, { hint: 'nothing to load; check the download or export that produced it' });
  }
  const first = head.trimStart();
  if (first.startsWith('{') || first.startsWith('[')) return 'oanda';
  const line1 = first.split(/\r?\n/)[0];
  if (/^\d{8} \d{6};/.test(line1)) return 'histdata';
  if (/^(gmt|local) time,/i.test(line1)) return 'dukascopy';
  if (/(^|,)\s*(ts_utc|time|timestamp|datetime)\s*(,|$)/i.test(line1) && /(^|,)\s*open\s*(,|$)/i.test(line1)) return 'generic';
  throw new BqxError('BQX_INGEST_FORMAT', `cannot tell the format of ${file} from its first line ${JSON.stringify(line1.slice(0, 80))}`, {
    hint: `pass --format ${FORMATS.join('|')}`,
  });
}
