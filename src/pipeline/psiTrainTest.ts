/**
 * Distribution shift between train and test for the dataset report: PSI and KS of every selected
 * feature, on 32 quantile bins of its train values (duplicates merged, so a discrete feature gets a bin
 * per value), read from the split's Parquet files in DuckDB. The same bins and formulas as `bqx drift`
 * (src/monitor/psi.ts), so PSI > 0.25 means the same thing in both: the feature's test distribution is
 * not its train distribution, and a model leaning on it may not transfer.
 */

import { PSI_DRIFT, PSI_WATCH, psiKs, type Verdict, verdict } from '../monitor/psi.ts';
import { type DuckSession, duckIdent, duckLiteral, templateSql } from './DuckSession.ts';

export const PSI_BINS = 32;

export interface FeaturePsi {
  feature: string;
  psi: number;
  ks: number;
  verdict: Verdict;
  bins: number;
  /** The bin edges (train quantiles), so the figures can be reproduced from the Parquet files. */
  edges: number[];
}

export interface PsiReport {
  bins: string;
  thresholds: { watch: number; drift: number };
  features: FeaturePsi[];
  /** The selected features in drift (PSI above the drift threshold), worst first. */
  warnings: string[];
}

const files = (paths: string[]) => `[${paths.map(duckLiteral).join(', ')}]`;
const double = (x: number) => `${duckLiteral(String(x))}::double`;

export async function trainTestPsi(duck: DuckSession, train: string[], test: string[], features: string[]): Promise<PsiReport> {
  const grid = `[${Array.from({ length: PSI_BINS - 1 }, (_, k) => `${k + 1} / ${PSI_BINS}`).join(', ')}]`;
  const edges = new Map<string, number[]>();
  if (features.length) {
    const quantiles = features.map((f) => `quantile_disc(${duckIdent(f)}, ${grid}) as ${duckIdent(f)}`).join(',\n  ');
    const [row] = await duck.rows<Record<string, number[] | null>>(templateSql('psi_edges', { quantiles, files: files(train) }));
    for (const f of features) {
      const q = row[f];
      if (q)
        edges.set(
          f,
          [
            ...new Set(
              q
                .map(Number)
                .filter((v) => !Number.isNaN(v))
                .map((v) => v + 0),
            ),
          ].sort((a, b) => a - b),
        );
    }
  }
  const withEdges = features.filter((f) => edges.has(f));
  const counts = async (paths: string[]): Promise<Map<string, number[]>> => {
    const out = new Map<string, number[]>();
    if (!withEdges.length) return out;
    const exprs = withEdges
      .flatMap((f) => [
        ...edges.get(f)!.map((e, k) => `count_if(${duckIdent(f)} < ${double(e)}) as ${duckIdent(`${f}#${k}`)}`),
        `count(${duckIdent(f)}) as ${duckIdent(`${f}#n`)}`,
      ])
      .join(',\n  ');
    const [row] = await duck.rows<Record<string, number | bigint>>(templateSql('psi_counts', { counts: exprs, files: files(paths) }));
    for (const f of withEdges) {
      const below = edges.get(f)!.map((_, k) => Number(row[`${f}#${k}`]));
      const n = Number(row[`${f}#n`]);
      // cumulative counts below each edge -> counts per bin (width_bucket's convention)
      out.set(
        f,
        [...below, n].map((c, i) => c - (i === 0 ? 0 : below[i - 1])),
      );
    }
    return out;
  };
  const [a, b] = [await counts(train), await counts(test)];
  const result: FeaturePsi[] = [];
  for (const f of withEdges) {
    const m = psiKs(a.get(f)!, b.get(f)!);
    if (m) result.push({ feature: f, psi: m.psi, ks: m.ks, verdict: verdict(m.psi), bins: edges.get(f)!.length + 1, edges: edges.get(f)! });
  }
  result.sort((x, y) => y.psi - x.psi);
  return {
    bins: `${PSI_BINS} quantile bins of train (duplicate edges merged)`,
    thresholds: { watch: PSI_WATCH, drift: PSI_DRIFT },
    features: result,
    warnings: result.filter((r) => r.verdict === 'drift').map((r) => r.feature),
  };
}
