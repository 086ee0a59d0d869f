/**
 * The synthetic catalog change of the upgrade test (test/db/upgrade.test.ts), made in a copy of the
 * repository (test/support/repoCopy.ts) as a developer would: bar_shape, a new family (range and body of
 * each bar, read from m1), enters the order right after bqx, before the first family that reads bqx; and
 * time_features, ninth of fourteen, gains is_sydney (addSydneyColumn, which then runs the generators).
 */
import fs from 'node:fs';
import path from 'node:path';
import { addSydneyColumn, type RepoCopy } from './repoCopy.ts';

function addBarShapeFamily(repo: RepoCopy): void {
  fs.writeFileSync(
    path.join(repo.dir, 'src/features/catalog/barShape.ts'),
    `import { col, type FamilyDef } from './types.ts';

export const barShape: FamilyDef = {
  family: 'bar_shape',
  kind: 'sql',
  description: 'The shape of each bar: its range and its body',
  dependsOn: ['m1'],
  lookbackBars: 0,
  countsAsFeature: true,
  columns: [col('bar_range', 'rate', null, 'high - low'), col('bar_body', 'rate', null, 'close - open')],
};
`,
  );
  fs.writeFileSync(
    path.join(repo.dir, 'src/features/sqlgen/barShape.ts'),
    `import { barShape } from '../catalog/barShape.ts';
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
`,
  );
  repo.edit(
    'src/features/catalog/index.ts',
    `import { bqx } from './bqx.ts';`,
    `import { bqx } from './bqx.ts';\nimport { barShape } from './barShape.ts';`,
  );
  repo.edit('src/features/catalog/index.ts', `  bqx,\n  bollingerRate,`, `  bqx,\n  barShape,\n  bollingerRate,`);
  repo.edit(
    'src/features/sqlgen/index.ts',
    `import { bqxRefreshSql } from './bqx.ts';`,
    `import { bqxRefreshSql } from './bqx.ts';\nimport { barShapeRefreshSql } from './barShape.ts';`,
  );
  repo.edit(
    'src/features/sqlgen/index.ts',
    `    { path: 'sql/functions/bqx.refresh_bqx.sql', text: bqxRefreshSql() },`,
    `    { path: 'sql/functions/bqx.refresh_bqx.sql', text: bqxRefreshSql() },\n    { path: 'sql/functions/bqx.refresh_bar_shape.sql', text: barShapeRefreshSql() },`,
  );
}

/** Both changes, then the catalog migration (one, stamped now) and sql/ generated; returns the generator's output. */
export async function applySyntheticChange(repo: RepoCopy): Promise<string> {
  addBarShapeFamily(repo);
  return addSydneyColumn(repo);
}
