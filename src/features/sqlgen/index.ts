/** Every generated sql/ file (functions, views, checks): its path and text. scripts/gen-sql.ts writes them; a test checks they are current. */

import { FAMILIES } from '../catalog/index.ts';
import { bqxRefreshSql } from './bqx.ts';
import { nonFiniteCheckSql } from './checks.ts';
import { correlationRefreshSql } from './correlation.ts';
import { crossReturnsRefreshSql } from './crossReturns.ts';
import { currencyStrengthRefreshSql } from './currencyStrength.ts';
import { featureVectorFiles } from './featureVector.ts';
import { fibonacciRefreshSql } from './fibonacci.ts';
import { labelsRefreshSql } from './labels.ts';
import { wrapSql } from './layout.ts';
import { momentsRefreshSql } from './moments.ts';
import { isPerBar, perBarRefreshSql } from './perBar.ts';
import { regRefreshSql } from './reg.ts';
import { regR2SinceSql, regR2ViewSql } from './regR2View.ts';
import { spreadRefreshSql } from './spread.ts';
import { timeRefreshSql } from './time.ts';
import { viewFiles } from './views.ts';
import { volumeRefreshSql } from './volume.ts';

export function generatedSqlFiles(): Array<{ path: string; text: string }> {
  // one layout pass for every generated object: no line over MAX_LINE where a space allows
  return [
    { path: 'sql/functions/bqx.refresh_bqx.sql', text: bqxRefreshSql() },
    { path: 'sql/functions/bqx.refresh_bollinger_rate.sql', text: momentsRefreshSql('bollinger', 'rate') },
    { path: 'sql/functions/bqx.refresh_bollinger_bqx.sql', text: momentsRefreshSql('bollinger', 'bqx') },
    { path: 'sql/functions/bqx.refresh_statistics_rate.sql', text: momentsRefreshSql('statistics', 'rate') },
    { path: 'sql/functions/bqx.refresh_statistics_bqx.sql', text: momentsRefreshSql('statistics', 'bqx') },
    { path: 'sql/functions/bqx.refresh_reg_rate.sql', text: regRefreshSql('rate') },
    { path: 'sql/functions/bqx.refresh_reg_bqx.sql', text: regRefreshSql('bqx') },
    { path: 'sql/functions/bqx.refresh_volume_features.sql', text: volumeRefreshSql() },
    { path: 'sql/functions/bqx.refresh_spread_features.sql', text: spreadRefreshSql() },
    { path: 'sql/functions/bqx.refresh_time_features.sql', text: timeRefreshSql() },
    { path: 'sql/functions/bqx.refresh_labels.sql', text: labelsRefreshSql() },
    { path: 'sql/functions/bqx.refresh_fibonacci_features.sql', text: fibonacciRefreshSql() },
    { path: 'sql/functions/bqx.refresh_currency_strength.sql', text: currencyStrengthRefreshSql() },
    { path: 'sql/functions/bqx.refresh_cross_returns.sql', text: crossReturnsRefreshSql() },
    { path: 'sql/functions/bqx.refresh_correlation_features.sql', text: correlationRefreshSql() },
    // the families the catalog defines bar by bar need no generator of their own
    ...FAMILIES.filter(isPerBar).map((f) => ({ path: `sql/functions/bqx.refresh_${f.family}.sql`, text: perBarRefreshSql(f) })),
    { path: 'sql/views/bqx.reg_r2_summary.sql', text: regR2ViewSql() },
    { path: 'sql/functions/bqx.reg_r2_since.sql', text: regR2SinceSql() },
    ...viewFiles(),
    ...featureVectorFiles(),
    { path: 'sql/checks/no_nan_or_infinity.sql', text: nonFiniteCheckSql() },
  ].map((f) => ({ path: f.path, text: wrapSql(f.text) }));
}
