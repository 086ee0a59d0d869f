/**
 * Stage 3: lags (spec section 7) as DuckDB window expressions: `{feature}_lag{n}` is the feature n
 * rows earlier in the pair's series (a row shift, not a clock shift: the weekend close is one step).
 * The window runs over the whole extracted series, which starts max(lag) bars before --from.
 */
import { duckIdent } from './DuckSession.ts';
import type { FeatureSet } from './featureSet.ts';

/** The select-list items of the dataset's feature columns, over a window named `w` ordered by time. */
export function featureExpressions(featureSet: FeatureSet): string[] {
  return featureSet.columns.map((c) =>
    c.lag === 0 ? duckIdent(c.name) : `lag(${duckIdent(c.source)}, ${c.lag}) over w as ${duckIdent(c.name)}`,
  );
}
