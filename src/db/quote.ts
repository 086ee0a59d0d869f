/**
 * The one place identifiers are quoted in TypeScript. Values are always bind parameters; identifiers
 * that vary (pair, family, partition) are validated against bqx.pairs or the catalog first, then quoted.
 */
import { BqxError } from './errors.ts';

const SAFE_IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

export function quoteIdent(name: string): string {
  if (!SAFE_IDENT.test(name)) {
    throw new BqxError('BQX_BAD_IDENTIFIER', `refusing identifier ${JSON.stringify(name)}`, {
      hint: 'identifiers are lower-case letters, digits and underscores (at most 63); pairs look like eurusd',
    });
  }
  return `"${name}"`;
}

/**
 * A name the server already holds and bqx did not choose (the connection's database): any spelling
 * PostgreSQL allows, so it is quoted with its double quotes doubled instead of checked.
 */
export function quoteServerIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
