/**
 * The synthetic catalog change of the upgrade test (test/db/upgrade.test.ts), applied to a copy of the
 * repository (test/support/repoCopy.ts): what a developer adding a column and a family would edit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { patchFile } from './repoCopy.ts';

/**
 * The synthetic catalog change, applied to a copy of the repository: time_features (ninth of fourteen)
 * gains is_sydney, and bar_shape (range and body of each bar, read from m1) enters the order right after
 * bqx, before the first family that reads bqx.
 */
export function applySyntheticChange(root: string): void {
  patchFile(root, 'src/features/catalog/time.ts', `t('minutes_since_prev_bar', "minutes since the pair's previous bar (1 in a continuous stretch)", 'NULL on the first bar of the series'),`,
    (a) => `${a}\n    t('is_sydney', '1 during the Sydney session 21:00-06:00 UTC, else 0'),`);
  patchFile(root, 'src/features/sqlgen/time.ts', `"extract(epoch from ts_utc - prev) / 60 as \\"minutes_since_prev_bar\\"",`,
    (a) => `${a}\n    \`\${flag('mod >= 1260 or mod < 360')} as "is_sydney"\`,`);
  fs.writeFileSync(path.join(root, 'src/features/catalog/barShape.ts'), `import { col, type FamilyDef } from './types.ts';

export const barShape: FamilyDef = {
  family: 'bar_shape',
  kind: 'sql',
  description: 'The shape of each bar: its range and its body',
  dependsOn: ['m1'],
  lookbackBars: 0,
  countsAsFeature: true,
  columns: [col('bar_range', 'rate', null, 'high - low'), col('bar_body', 'rate', null, 'close - open')],
};
`);
  fs.writeFileSync(path.join(root, 'src/features/sqlgen/barShape.ts'), `import { barShape } from '../catalog/barShape.ts';
import { refreshFunctionSql } from './refreshFunction.ts';

export function barShapeRefreshSql(): string {
  return refreshFunctionSql({
    family: barShape.family,
    lookback: barShape.lookbackBars,
    source: \`(select v_rs + row_number() over (order by ts_utc) - 1 as r, ts_utc, open, high, low, close
      from bqx.m1 where pair = p_pair and ts_utc >= v_start and ts_utc <= v_hi)\`,
    body: (src) => \`select ts_utc, high - low as "bar_range", close - open as "bar_body" from \${src} s0\`,
    columns: barShape.columns.map((c) => c.name),
    description: barShape.description,
  });
}
`);
  patchFile(root, 'src/features/catalog/index.ts', `import { bqx } from './bqx.ts';`, (a) => `${a}\nimport { barShape } from './barShape.ts';`);
  patchFile(root, 'src/features/catalog/index.ts', `  bqx,\n  bollingerRate,`, () => `  bqx,\n  barShape,\n  bollingerRate,`);
  patchFile(root, 'src/features/sqlgen/index.ts', `import { bqxRefreshSql } from './bqx.ts';`, (a) => `${a}\nimport { barShapeRefreshSql } from './barShape.ts';`);
  patchFile(root, 'src/features/sqlgen/index.ts', `    { path: 'sql/functions/bqx.refresh_bqx.sql', text: bqxRefreshSql() },`,
    (a) => `${a}\n    { path: 'sql/functions/bqx.refresh_bar_shape.sql', text: barShapeRefreshSql() },`);
}
