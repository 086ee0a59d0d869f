/**
 * Streams a text file as batches of lines with 1-based line numbers (CRLF tolerated). Batches, not
 * single lines: an async iteration step per line costs more than parsing the line does.
 * A last line without its final newline is flagged `unterminated`: a file cut short (still being written,
 * a broken download) ends inside a line, and the cut line usually still parses (a volume of 12 for 123),
 * so the parsers refuse it rather than store a wrong value.
 */
import fs from 'node:fs';

export interface NumberedLine {
  line: number;
  text: string;
  unterminated?: true;
}

export const UNTERMINATED =
  'the file ends inside this line (no final newline), so it may be cut short; complete the file (end it with a newline) and ingest it again';

export async function* readLineBatches(file: string): AsyncGenerator<NumberedLine[]> {
  let rest = '';
  let line = 0;
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    const parts = text.split('\n');
    rest = parts.pop()!;
    const batch: NumberedLine[] = new Array(parts.length);
    for (let i = 0; i < parts.length; i++) {
      line++;
      let t = parts[i];
      if (t.endsWith('\r')) t = t.slice(0, -1);
      if (line === 1) t = t.replace(/^\uFEFF/, '');
      batch[i] = { line, text: t };
    }
    if (batch.length) yield batch;
  }
  if (rest !== '') {
    line++;
    yield [{ line, text: line === 1 ? rest.replace(/^\uFEFF/, '').replace(/\r$/, '') : rest.replace(/\r$/, ''), unterminated: true }];
  }
}
