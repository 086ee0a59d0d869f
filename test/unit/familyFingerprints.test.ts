/**
 * The definition fingerprint (src/features/definitions): it changes when a family's own body, its columns
 * or a family it reads change, and only then (layout and comments are not a change: the body is hashed in
 * its normalised form, normaliseSql.ts); the SQL part is the text between the dollar quotes, which
 * is what pg_proc.prosrc holds (test/db/definitions.test.ts checks that against a live database).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SQL_DIR } from '../../src/db/paths.ts';
import { CROSS_SECTIONAL, FAMILIES, type FamilyDef } from '../../src/features/catalog/index.ts';
import { familyFingerprints, functionBody, type OwnDefinition } from '../../src/features/definitions/familyFingerprints.ts';
import { fileFingerprints } from '../../src/features/definitions/fileFingerprints.ts';

const fromFiles: OwnDefinition = (name) => {
  const f = [...FAMILIES, ...CROSS_SECTIONAL].find((x) => x.family === name)!;
  if (f.kind === 'ts') return { ts: '1' };
  const file = path.join(SQL_DIR, 'functions', `bqx.refresh_${name}.sql`);
  return fs.existsSync(file) ? { sql: functionBody(fs.readFileSync(file, 'utf8')) } : null;
};
/** The families whose fingerprint differs between two maps (either side missing counts). */
const changed = (a: Map<string, string>, b: Map<string, string>) =>
  [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
const readersOf = (fam: string): string[] => FAMILIES.filter((f) => f.dependsOn.includes(fam)).map((f) => f.family);

describe('family definition fingerprints', () => {
  const base = familyFingerprints(fromFiles);

  it('gives every refreshable family one, m1 none, and is deterministic', () => {
    expect([...base.keys()].sort()).toEqual(
      FAMILIES.filter((f) => f.kind !== 'base')
        .map((f) => f.family)
        .sort(),
    );
    for (const v of base.values()) expect(v).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(base.values()).size).toBe(base.size);
    expect(changed(familyFingerprints(fromFiles), base)).toEqual([]);
    expect(changed(fileFingerprints(), base)).toEqual([]);
  });

  it("changes with a family's own body, for it and for the families that read it, and for no other", () => {
    const own =
      (fam: string, body: (b: string) => string): OwnDefinition =>
      (n) => {
        const d = fromFiles(n);
        return n === fam && d && 'sql' in d ? { sql: body(d.sql) } : d;
      };
    expect(changed(familyFingerprints(own('statistics_rate', (b) => b.replace('e3_20 - 3 * mu_20', 'e3_20 - 2 * mu_20'))), base)).toEqual([
      'statistics_rate',
    ]);
    // layout is not definition: comments, line breaks and indentation change nothing, for any family
    const relaidOut = (b: string) =>
      `-- a comment\n${b
        .split('\n')
        .map((l) => (l.includes('--') ? l : l.replaceAll(', ', ',\n      ').replaceAll('(', '(\n  ')))
        .join('\n')}  \n`;
    expect(changed(familyFingerprints(own('statistics_rate', relaidOut)), base)).toEqual([]);
    expect(changed(familyFingerprints(own('statistics_rate', (b) => `${b} `)), base)).toEqual([]);
    expect(readersOf('bqx').length).toBeGreaterThan(4);
    expect(changed(familyFingerprints(own('bqx', (b) => b.replace('15 * ((pa - y)', '16 * ((pa - y)'))), base)).toEqual(
      ['bqx', ...readersOf('bqx')].sort(),
    );
    // the same body gives the same fingerprint, whatever surrounds it in the file
    expect(changed(familyFingerprints(own('bqx', (b) => b)), base)).toEqual([]);
  });

  it("changes with the TypeScript version, and with a family's columns", () => {
    const v2: OwnDefinition = (n) => (n === 'technical_rate' ? { ts: '2' } : fromFiles(n));
    expect(changed(familyFingerprints(v2), base)).toEqual(['technical_rate']);
    const renamed: FamilyDef[] = FAMILIES.map((f) =>
      f.family === 'bqx' ? { ...f, columns: f.columns.map((c, i) => (i === 0 ? { ...c, name: `${c.name}_v2` } : c)) } : f,
    );
    expect(changed(familyFingerprints(fromFiles, renamed), base)).toEqual(['bqx', ...readersOf('bqx')].sort());
    const reordered: FamilyDef[] = FAMILIES.map((f) => (f.family === 'time_features' ? { ...f, columns: [...f.columns].reverse() } : f));
    expect(changed(familyFingerprints(fromFiles, reordered), base)).toEqual(['time_features']);
    // what is not a stored value (the description) changes nothing
    const described: FamilyDef[] = FAMILIES.map((f) => ({ ...f, description: `${f.description}.` }));
    expect(changed(familyFingerprints(fromFiles, described), base)).toEqual([]);
  });

  it('takes the text between the dollar quotes as the body', () => {
    expect(functionBody('create function bqx.f() returns int language sql as $fn$\nselect 1 $x$\n$fn$;')).toBe('\nselect 1 $x$\n');
    expect(functionBody('create or replace function bqx.g()\nreturns int\nlanguage plpgsql\nas $$\nbegin return 2; end;\n$$;')).toBe(
      '\nbegin return 2; end;\n',
    );
    expect(() => functionBody('select 1')).toThrow(/dollar-quoted/);
  });

  it('still computes the first algorithm (the raw body) for the upgrade that rewrites recorded fingerprints', () => {
    const raw = familyFingerprints(fromFiles, FAMILIES, 'raw');
    expect([...raw.keys()].sort()).toEqual([...base.keys()].sort());
    // a different hash for every SQL family and every family reading one; the technical_rate one reads m1 only
    expect(changed(raw, base)).toEqual([...base.keys()].filter((f) => f !== 'technical_rate').sort());
    const spaced: OwnDefinition = (n) => {
      const d = fromFiles(n);
      return d && 'sql' in d ? { sql: `${d.sql} ` } : d;
    };
    expect(changed(familyFingerprints(spaced, FAMILIES, 'raw'), raw).length).toBeGreaterThan(0);
  });
});
