/**
 * The layout-free form the definition fingerprint hashes (src/features/definitions/normaliseSql.ts):
 * layout and comments go, every token and every byte of a literal stay.
 */
import { describe, expect, it } from 'vitest';
import { normaliseSql } from '../../src/features/definitions/normaliseSql.ts';

describe('normaliseSql', () => {
  it('drops comments, collapses whitespace and drops it next to brackets, commas and semicolons', () => {
    expect(normaliseSql('select a,  b\n  from t -- why\n  where (x  =  1) ;')).toBe('select a,b from t where(x = 1);');
    expect(normaliseSql('select /* one /* nested */ still */ f(\n  a,\n  b\n)[1]')).toBe('select f(a,b)[1]');
    expect(normaliseSql('\n  begin\n    return 0;\n  end;\n')).toBe('begin return 0;end;');
    // one item per line and the original one line give the same form
    expect(normaliseSql('select x.a as "p", x.b as "q" from (select 1 as a, 2 as b) x')).toBe(
      normaliseSql('select\n    x.a as "p",\n    x.b as "q"\nfrom (\n  select 1 as a,\n         2 as b\n) x'),
    );
  });

  it('keeps string literals, quoted identifiers and dollar-quoted text byte for byte', () => {
    expect(normaliseSql("select 'a  -- b,  c' as x")).toBe("select 'a  -- b,  c' as x");
    expect(normaliseSql("select 'it''s  ( x )'")).toBe("select 'it''s  ( x )'");
    expect(normaliseSql("select E'a\\'  b' , 1")).toBe("select E'a\\'  b',1");
    expect(normaliseSql('select "a  b" ,  "c""  d"')).toBe('select "a  b","c""  d"');
    expect(normaliseSql('select $q$ keep  -- this $q$ ,  2')).toBe('select $q$ keep  -- this $q$,2');
    expect(normaliseSql('select $1 ,  $2')).toBe('select $1,$2');
  });

  it('keeps every token apart: a changed token or operator spacing that could parse differently is a change', () => {
    expect(normaliseSql('select a - -b')).toBe('select a - -b');
    expect(normaliseSql('select a - -b')).not.toBe(normaliseSql('select a --b'));
    expect(normaliseSql('select a < = b')).not.toBe(normaliseSql('select a <= b'));
    expect(normaliseSql('select 2 * x')).not.toBe(normaliseSql('select 3 * x'));
    expect(normaliseSql("select 'a b'")).not.toBe(normaliseSql("select 'a  b'"));
    expect(normaliseSql('select a as b')).not.toBe(normaliseSql('select a as c'));
  });
});
