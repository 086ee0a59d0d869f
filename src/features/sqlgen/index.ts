/** Every generated sql/functions file: its path and text. scripts/gen-sql.ts writes them; a test checks they are current. */
import { bqxRefreshSql } from './bqx.ts';
import { regRefreshSql } from './reg.ts';
import { regR2ViewSql } from './regR2View.ts';

export function generatedSqlFiles(): Array<{ path: string; text: string }> {
  return [
    { path: 'sql/functions/bqx.refresh_bqx.sql', text: bqxRefreshSql() },
    { path: 'sql/functions/bqx.refresh_reg_rate.sql', text: regRefreshSql('rate') },
    { path: 'sql/functions/bqx.refresh_reg_bqx.sql', text: regRefreshSql('bqx') },
    { path: 'sql/views/bqx.reg_r2_summary.sql', text: regR2ViewSql() },
  ];
}
