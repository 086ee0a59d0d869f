/** Every generated sql/functions file: its path and text. scripts/gen-sql.ts writes them; a test checks they are current. */
import { bqxRefreshSql } from './bqx.ts';
import { currencyStrengthRefreshSql } from './currencyStrength.ts';
import { fibonacciRefreshSql } from './fibonacci.ts';
import { momentsRefreshSql } from './moments.ts';
import { regRefreshSql } from './reg.ts';
import { regR2SinceSql, regR2ViewSql } from './regR2View.ts';
import { spreadRefreshSql } from './spread.ts';
import { timeRefreshSql } from './time.ts';
import { nonFiniteCheckSql } from './checks.ts';
import { featureVectorFiles } from './featureVector.ts';
import { viewFiles } from './views.ts';
import { volumeRefreshSql } from './volume.ts';

export function generatedSqlFiles(): Array<{ path: string; text: string }> {
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
    { path: 'sql/functions/bqx.refresh_fibonacci_features.sql', text: fibonacciRefreshSql() },
    { path: 'sql/functions/bqx.refresh_currency_strength.sql', text: currencyStrengthRefreshSql() },
    { path: 'sql/views/bqx.reg_r2_summary.sql', text: regR2ViewSql() },
    { path: 'sql/functions/bqx.reg_r2_since.sql', text: regR2SinceSql() },
    ...viewFiles(),
    ...featureVectorFiles(),
    { path: 'sql/checks/no_nan_or_infinity.sql', text: nonFiniteCheckSql() },
  ];
}
