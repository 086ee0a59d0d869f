/**
 * The layout-free form of a function body, which its definition fingerprint hashes: comments removed,
 * every run of whitespace made one space, and the space next to ( ) [ ] , ; dropped. So a body laid
 * out differently (one item per line, stage comments, re-indented, the contract as a comment) is the
 * same definition, and rows computed under the old layout stay current; any change to a token is a new
 * one. Text inside string literals ('...', E'...'), quoted identifiers ("...") and dollar-quoted strings
 * is kept byte for byte: whitespace there is data. Only the space next to brackets, commas and
 * semicolons goes, never the one between two operators or an operator and a word (`a - -b` is not
 * `a --b`, and `< =` is not `<=`), so no two bodies that parse differently share a form.
 */
const TIGHT = new Set(['(', ')', '[', ']', ',', ';']);

export function normaliseSql(body: string): string {
  const out: string[] = [];
  let pendingSpace = false;
  const emit = (token: string) => {
    if (pendingSpace && out.length && !TIGHT.has(token[0]!) && !TIGHT.has(out[out.length - 1]!.slice(-1))) out.push(' ');
    pendingSpace = false;
    out.push(token);
  };
  let i = 0;
  const n = body.length;
  while (i < n) {
    const ch = body[i]!;
    if (/\s/.test(ch)) {
      pendingSpace = true;
      i++;
    } else if (ch === '-' && body[i + 1] === '-') {
      const end = body.indexOf('\n', i);
      i = end < 0 ? n : end;
      pendingSpace = true;
    } else if (ch === '/' && body[i + 1] === '*') {
      // block comments nest in PostgreSQL
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (body[j] === '/' && body[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (body[j] === '*' && body[j + 1] === '/') {
          depth--;
          j += 2;
        } else j++;
      }
      i = j;
      pendingSpace = true;
    } else if (ch === "'" || ch === '"') {
      // a doubled quote is an escaped one; in E'' strings a backslash escapes the next character
      const escapes = ch === "'" && i > 0 && /[eE]/.test(body[i - 1]!) && !/[A-Za-z0-9_]/.test(body[i - 2] ?? ' ');
      let j = i + 1;
      while (j < n) {
        if (escapes && body[j] === '\\') j += 2;
        else if (body[j] === ch && body[j + 1] === ch) j += 2;
        else if (body[j] === ch) break;
        else j++;
      }
      emit(body.slice(i, j + 1));
      i = j + 1;
    } else if (ch === '$' && /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.test(body.slice(i, i + 64)) && !/[A-Za-z0-9_]/.test(body[i - 1] ?? ' ')) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(body.slice(i, i + 64))![0];
      const end = body.indexOf(tag, i + tag.length);
      const stop = end < 0 ? n : end + tag.length;
      emit(body.slice(i, stop));
      i = stop;
    } else {
      // a run of ordinary characters up to the next space, quote, comment start or tight character
      let j = i + 1;
      if (!TIGHT.has(ch)) {
        while (
          j < n &&
          !/\s/.test(body[j]!) &&
          !TIGHT.has(body[j]!) &&
          body[j] !== "'" &&
          body[j] !== '"' &&
          !(body[j] === '-' && body[j + 1] === '-') &&
          !(body[j] === '/' && body[j + 1] === '*')
        )
          j++;
      }
      emit(body.slice(i, j));
      i = j;
    }
  }
  return out.join('');
}
