/**
 * Leakage check on a spine (sql/leak_spine_reach.sql), on the files as written: no event sees a bar
 * with T + 1 min > its instant, and a seeded sample's bar is the latest complete one, found again
 * by a plain max() over the series rather than the ASOF JOIN.
 */
import { BqxError } from '../db/errors.ts';
import { type DuckSession, duckIdent, duckLiteral, templateSql } from './DuckSession.ts';

export interface SpineLeakageReport {
  rowsChecked: 'all';
  latestBarSample: number;
}

export async function checkSpineLeakage(
  duck: DuckSession,
  pair: string,
  series: string,
  files: string[],
  seed: number,
  sampleRows = 200,
): Promise<SpineLeakageReport> {
  const bad = await duck.rows<Record<string, unknown>>(
    templateSql('leak_spine_reach', {
      files: `[${files.map(duckLiteral).join(', ')}]`,
      series: duckIdent(series),
      sample_rows: sampleRows,
      seed,
    }),
  );
  if (bad.length) {
    const shown = bad
      .slice(0, 5)
      .map(
        (b) =>
          `event ${String(b.event)} at ${String(b.ts)}: bar ${String(b.bar_ts)}${b.expected_ts ? `, latest complete ${String(b.expected_ts)}` : ''} (${String(b.problem)})`,
      );
    throw new BqxError('BQX_LEAKAGE', `${pair}: leakage check "spine reach" failed at ${bad.length} row(s):\n  ${shown.join('\n  ')}`, {
      hint: 'this is a bug in the pipeline, not in your data: report it with this output',
      details: { check: 'spine reach', pair, rows: bad.slice(0, 5) },
    });
  }
  return { rowsChecked: 'all', latestBarSample: sampleRows };
}
