import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../src/db/paths.ts';
import { FEATURES_DOC_PATH, featuresDoc } from '../../src/docs/featuresDoc.ts';
import { FAMILIES } from '../../src/features/catalog/index.ts';

describe('docs/FEATURES.md', () => {
  const committed = fs.readFileSync(path.join(ROOT, FEATURES_DOC_PATH), 'utf8');

  it('is what the catalog generates (run node bin/run-ts.mjs scripts/gen-features-doc.ts after changing the catalog)', () => {
    expect(committed).toBe(featuresDoc());
  });

  it('has one row per catalog column, with its family, window, formula, NULL rule and laggable flag', () => {
    const sections = committed.split(/^## /m).slice(1);
    expect(sections.map((s) => s.split('\n')[0])).toEqual(FAMILIES.map((f) => f.family));
    for (const [i, f] of FAMILIES.entries()) {
      const rows = sections[i].split('\n').filter((l) => l.startsWith('| `'));
      expect(rows, f.family).toHaveLength(f.columns.length);
      for (const [j, c] of f.columns.entries()) {
        const cells = rows[j].slice(2, -2).split(/ (?<!\\)\| /);
        expect(cells[0]).toBe(`\`${c.name}\``);
        expect(cells[2]).toBe(c.window === null ? '' : String(c.window));
        expect(cells[3].replace(/\\\|/g, '|')).toBe(c.formula.replace(/\s*\n\s*/g, ' '));
        expect(cells[4].replace(/\\\|/g, '|')).toContain(c.nullRule.replace(/\s*\n\s*/g, ' '));
        expect(cells[5]).toBe(c.laggable ? 'yes' : '');
      }
    }
  });

  it('is linked from the README, which links nothing outside the repository', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`](${FEATURES_DOC_PATH})`);
    for (const [, target] of readme.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)) {
      if (/^https?:/.test(target)) continue;
      expect(fs.existsSync(path.join(ROOT, target)), target).toBe(true);
    }
    expect(readme).not.toMatch(/\.\.\/shared/);
  });
});
