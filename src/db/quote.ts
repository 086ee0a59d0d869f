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

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
