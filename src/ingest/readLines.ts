/**
 * Streams a text file as batches of lines with 1-based line numbers (CRLF tolerated). Batches, not
 * single lines: an async iteration step per line costs more than parsing the line does.
 */
import fs from 'node:fs';

export interface NumberedLine {
  line: number;
  text: string;
}

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
    yield [{ line, text: line === 1 ? rest.replace(/^\uFEFF/, '').replace(/\r$/, '') : rest.replace(/\r$/, '') }];
  }
}
