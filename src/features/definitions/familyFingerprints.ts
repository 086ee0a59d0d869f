/**
 * The fingerprint of a family's definition: what its rows are a function of. It hashes the family's own
 * definition (the body of bqx.refresh_<family>, or the TypeScript calculator's version), its column names
 * in order, and the fingerprints of the families it reads (catalog dependsOn), so a change upstream (bqx)
 * changes every family computed from it (bollinger_bqx ...). The same function computes it from the
 * repository's files (the catalog sync) and from the live database (pg_proc.prosrc: what the rows being
 * written are computed with), which is why the SQL part is the body text alone: prosrc holds exactly the
 * text between the dollar quotes. Shared helpers a body calls (bqx.refresh_prepare) are not part of it:
 * a helper change that changes values must show in the bodies too (regenerate them with a changed token).
 * The body is hashed in its layout-free form (normaliseSql.ts): comments and layout are not definition,
 * so regenerating the SQL with another layout leaves every fingerprint as it was. Fingerprints of the
 * first algorithm (the raw body) are still computable ('raw'), for the upgrade that rewrites recorded
 * ones (src/db/rewriteRawFingerprints.ts).
 */
import crypto from 'node:crypto';
import { CROSS_SECTIONAL, FAMILIES, type FamilyDef } from '../catalog/index.ts';
import { normaliseSql } from './normaliseSql.ts';

/** The family's own definition: a function body (SQL families), a version (TypeScript ones), or null (none). */
export type OwnDefinition = (family: string) => { sql: string } | { ts: string } | null;

/** How a body is hashed: 'normalised' (normaliseSql, the current one) or 'raw' (the text as is, before). */
export type FingerprintAlgorithm = 'normalised' | 'raw';

/**
 * family -> fingerprint (16 hex digits), for every family that has a definition and whose inputs have
 * one. `families`: the catalog (a test passes an altered copy).
 */
export function familyFingerprints(
  own: OwnDefinition,
  families: readonly FamilyDef[] = FAMILIES,
  algorithm: FingerprintAlgorithm = 'normalised',
): Map<string, string> {
  // the cross-sectional tables a family reads (correlation_features: currency_strength, cross_returns) are
  // inputs like any other: their refresh bodies enter the reader's fingerprint; they get one of their own
  // when listed in `families` (liveCrossFingerprints: their rows are recorded under it)
  const byName = new Map([...CROSS_SECTIONAL, ...families].map((f) => [f.family, f]));
  const out = new Map<string, string | null>();
  const fp = (name: string): string | null => {
    if (out.has(name)) return out.get(name)!;
    const f = byName.get(name)!;
    const given = f.kind === 'base' ? null : own(name);
    const mine = given !== null && 'sql' in given && algorithm === 'normalised' ? { sql: normaliseSql(given.sql) } : given;
    const deps = f.dependsOn.filter((d) => byName.get(d)!.kind !== 'base').map(fp);
    const value =
      mine === null || deps.some((d) => d === null)
        ? null
        : crypto
            .createHash('sha256')
            .update(JSON.stringify({ family: name, own: mine, columns: f.columns.map((c) => c.name), reads: deps }))
            .digest('hex')
            .slice(0, 16);
    out.set(name, value);
    return value;
  };
  for (const f of families) fp(f.family);
  const listed = new Set(families.map((f) => f.family));
  return new Map([...out].filter((e): e is [string, string] => e[1] !== null && listed.has(e[0])));
}

/** The body of a `create function ... as $tag$ body $tag$` file: what pg_proc.prosrc holds once it ran. */
export function functionBody(text: string): string {
  const open = /\bas\s+(\$[A-Za-z_]*\$)/i.exec(text);
  if (!open) throw new Error('no dollar-quoted function body');
  const start = open.index + open[0].length;
  const end = text.indexOf(open[1]!, start);
  if (end < 0) throw new Error(`unterminated ${open[1]} body`);
  return text.slice(start, end);
}
