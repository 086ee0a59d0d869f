/**
 * Inlines `$n` parameters as escaped literals, for statements that cannot take bind parameters
 * (DECLARE CURSOR, COPY (query) TO STDOUT). Values are escaped by pg's own escapeLiteral.
 */
import type pg from 'pg';

export function withLiterals(client: pg.ClientBase, text: string, values: string[]): string {
  return text.replace(/\$(\d+)/g, (_, n) => {
    const v = values[Number(n) - 1];
    if (v === undefined) throw new Error(`no value for $${n} in ${text.slice(0, 80)}`);
    return client.escapeLiteral(v);
  });
}
