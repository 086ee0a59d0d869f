/**
 * Layout of generated SQL: one select item (or array element, or join) per line, so `\sf` and a diff
 * show one feature per line and no line grows with the catalog. Layout is not definition: the
 * fingerprint hashes a body's layout-free form (src/features/definitions/normaliseSql.ts).
 */

/** `items` one per line, each after a line break and `indent` spaces (the first one too). */
export function lines(items: readonly string[], indent: number, sep = ','): string {
  const pad = `\n${' '.repeat(indent)}`;
  return pad + items.join(`${sep}${pad}`);
}

/** A stage of a generated statement: a `-- what` comment line at `indent`, then the text. */
export function stage(what: string, indent: number): string {
  return `\n${' '.repeat(indent)}-- ${what}`;
}

/** The separator of select items, array elements and argument lists: a comma and a new line. */
export const ITEM = ',\n        ';

/** Lines of generated SQL are wrapped to at most this many characters where a space allows. */
export const MAX_LINE = 160;

/**
 * Wraps every line of generated SQL longer than `max` at spaces, continued 4 spaces deeper: at the last
 * space before `max` that is outside a string literal ('...'), a quoted identifier ("...") and a `--`
 * comment, preferring one before a keyword or operator that starts a clause (then, else, and, or, +, -).
 * Only layout changes (a space becomes a line break), so the fingerprint (normaliseSql) is unchanged.
 * A literal spanning lines (a function comment) is left as it is.
 */
export function wrapSql(text: string, max = MAX_LINE): string {
  let quote: string | null = null;
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const startsInside = quote !== null;
    // the places a break may go: spaces outside quotes and comments; `quote` carries over lines
    const breaks: number[] = [];
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quote) {
        if (ch === quote) quote = null;
        continue;
      }
      if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '-' && line[i + 1] === '-') break;
      else if (ch === ' ' && i > 0 && line[i - 1] !== ' ') breaks.push(i);
    }
    if (startsInside || line.length <= max) {
      out.push(line);
      continue;
    }
    const pad = ' '.repeat(/^ */.exec(line)![0].length + 4);
    let from = 0;
    let prefix = '';
    while (prefix.length + line.length - from > max) {
      const usable = breaks.filter((b) => b > from + 8 && prefix.length + b - from <= max);
      if (!usable.length) break;
      const preferred = usable.filter((b) => /^ (then|else|when|and|or|[+-]) /.test(line.slice(b, b + 7)));
      const best = preferred.at(-1);
      const at = best !== undefined && prefix.length + best - from > max / 2 ? best : usable.at(-1)!;
      out.push(prefix + line.slice(from, at));
      from = at + 1;
      prefix = pad;
    }
    out.push(prefix + line.slice(from));
  }
  return out.join('\n');
}
