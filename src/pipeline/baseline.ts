/**
 * Stage 7: the baseline model (spec section 7). Ridge regression on the selected features,
 * standardised with a scaler fit on train only (NULL -> the train mean, i.e. 0 after scaling), one
 * model per horizon predicting the change d_bqx_w60_{h}; the penalty is chosen on validation from a
 * fixed grid; R^2 is measured on the test split. Beside it, on the same rows, the naive persistence
 * baseline (no change: w60_bqx_return stays where it is). Both are scored on the change and on the
 * level bqx_w60_lead_{h} (level = w60_bqx_return(t) + change).
 */
import { type DuckSession, duckIdent, duckLiteral, templateSql } from './DuckSession.ts';
import { r2 } from './select/r2.ts';
import { splitSource } from './splitSource.ts';

export interface Scaler {
  feature: string;
  mean: number;
  std: number;
}

export interface HorizonScore {
  horizon: number;
  lambda: number;
  validationR2: number;
  /** R^2 on the test split: the model and persistence, on the change and on the level. */
  r2Change: number;
  r2Level: number;
  persistenceR2Change: number;
  persistenceR2Level: number;
  testRows: number;
}

/** The predictions on a test stretch: the first rows of the test split (its first file's pair, in time order). */
export interface TestStretch {
  pair: string;
  horizon: number;
  /** Per bar of the stretch: the actual change d_bqx_w60_h and the model's prediction of it. */
  actual: number[];
  predicted: number[];
}

export interface BaselineResult {
  model: 'ridge';
  features: string[];
  scaler: Scaler[];
  fitRows: number;
  horizons: HorizonScore[];
  /** One stretch per horizon, for the report's predicted-against-actual chart. */
  testStretch: TestStretch[];
  seconds: number;
}

/** Bars of test predictions kept for the report (12 hours of minutes). */
export const TEST_STRETCH_BARS = 720;

const LAMBDAS = [1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100];

/** Solves (A + lambda*n*I) x = b by Cholesky; A is p x p symmetric positive semi-definite. */
export function ridgeSolve(A: Float64Array, b: Float64Array, p: number, ridge: number): Float64Array {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j] + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      L[i * p + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / L[j * p + j];
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * z[k];
    z[i] = s / L[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * x[k];
    x[i] = s / L[i * p + i];
  }
  return x;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * The Gram matrix X'X of the columns: each entry the dot product above, summed in the same order (so
 * the same bits), four entries of a row at a time so that each pass over x_i serves four of them (the
 * dot products one by one re-read both 4 MB columns for each of the 5,050 entries of 100 features).
 */
export function gram(X: Float64Array[]): Float64Array {
  const p = X.length;
  const A = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    const xi = X[i];
    let j = 0;
    for (; j + 4 <= i + 1; j += 4) {
      const [a, b, c, d] = [X[j], X[j + 1], X[j + 2], X[j + 3]];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < xi.length; k++) {
        const v = xi[k];
        s0 += v * a[k];
        s1 += v * b[k];
        s2 += v * c[k];
        s3 += v * d[k];
      }
      A[i * p + j] = s0;
      A[i * p + j + 1] = s1;
      A[i * p + j + 2] = s2;
      A[i * p + j + 3] = s3;
    }
    for (; j <= i; j++) A[i * p + j] = dot(xi, X[j]);
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) A[j * p + i] = A[i * p + j];
  return A;
}

interface SplitData {
  rows: number;
  X: Float64Array[];
  labels: Map<string, Float64Array>;
}

async function loadSplit(
  duck: DuckSession,
  files: string[],
  features: string[],
  labels: string[],
  scaler: Scaler[],
  sample?: { rows: number; seed: number },
): Promise<SplitData> {
  const source = await splitSource(duck, files, sample);
  const c = await duck.readColumns(`select ${[...features, ...labels].map((x) => `${duckIdent(x)}::double`).join(', ')} from ${source}`);
  const X = features.map((_, j) => {
    const col = c.data[j];
    const { mean, std } = scaler[j];
    for (let i = 0; i < c.rows; i++) col[i] = Number.isNaN(col[i]) || std === 0 ? 0 : (col[i] - mean) / std;
    return col;
  });
  return { rows: c.rows, X, labels: new Map(labels.map((l, k) => [l, c.data[features.length + k]])) };
}

function predict(d: SplitData, coef: Float64Array, intercept: number): Float64Array {
  const out = new Float64Array(d.rows).fill(intercept);
  for (let j = 0; j < coef.length; j++) {
    const x = d.X[j];
    const c = coef[j];
    for (let i = 0; i < d.rows; i++) out[i] += c * x[i];
  }
  return out;
}

export async function fitBaseline(
  duck: DuckSession,
  files: { train: string[]; validation: string[]; test: string[] },
  features: string[],
  horizons: number[],
  o: { fitRows: number; seed: number },
): Promise<BaselineResult> {
  const t0 = performance.now();
  const aggregates = features.flatMap((f, j) => [`avg(${duckIdent(f)}) as m_${j}`, `stddev_pop(${duckIdent(f)}) as s_${j}`]).join(', ');
  const [stats] = await duck.rows<Record<string, number | null>>(
    templateSql('scaler_stats', { aggregates, files: `[${files.train.map(duckLiteral).join(', ')}]` }),
  );
  const scaler = features.map((feature, j) => ({ feature, mean: Number(stats[`m_${j}`] ?? 0), std: Number(stats[`s_${j}`] ?? 0) }));
  const labels = horizons.flatMap((h) => [`d_bqx_w60_${h}`, `bqx_w60_lead_${h}`]);
  const train = await loadSplit(duck, files.train, features, labels, scaler, { rows: o.fitRows, seed: o.seed });
  const val = await loadSplit(duck, files.validation, features, labels, scaler);
  const test = await loadSplit(duck, files.test, features, labels, scaler);
  const p = features.length;
  // centred Gram matrix of the train sample (the intercept is the target's mean)
  const means = train.X.map((x) => x.reduce((a, b) => a + b, 0) / train.rows);
  const Xc = train.X.map((x, j) => x.map((v) => v - means[j]));
  const A = gram(Xc);
  const scores: HorizonScore[] = [];
  const testStretch: TestStretch[] = [];
  // the test files are read in order, each in time order: the first rows are the first pair's first bars
  const stretchPair = files.test.length ? files.test[0].replace(/^.*[\\/]/, '').replace(/\.parquet$/, '') : '';
  for (const h of horizons) {
    const y = train.labels.get(`d_bqx_w60_${h}`)!;
    const ym = y.reduce((a, b) => a + b, 0) / train.rows;
    const yc = y.map((v) => v - ym);
    const b = Float64Array.from(Xc, (x) => dot(x, yc));
    let best: { lambda: number; r2: number; coef: Float64Array; intercept: number } = {
      lambda: LAMBDAS[0],
      r2: -Infinity,
      coef: new Float64Array(p),
      intercept: ym,
    };
    for (const lambda of LAMBDAS) {
      const coef = ridgeSolve(A, b, p, lambda * train.rows);
      const intercept = ym - coef.reduce((s, c, j) => s + c * means[j], 0);
      const score = r2(val.labels.get(`d_bqx_w60_${h}`)!, predict(val, coef, intercept));
      if (score > best.r2) best = { lambda, r2: score, coef, intercept };
    }
    const dTest = test.labels.get(`d_bqx_w60_${h}`)!;
    const lead = test.labels.get(`bqx_w60_lead_${h}`)!;
    const anchor = lead.map((v, i) => v - dTest[i]);
    const pred = predict(test, best.coef, best.intercept);
    const n = Math.min(TEST_STRETCH_BARS, test.rows);
    testStretch.push({
      pair: stretchPair,
      horizon: h,
      actual: Array.from(dTest.subarray(0, n)),
      predicted: Array.from(pred.subarray(0, n)),
    });
    scores.push({
      horizon: h,
      lambda: best.lambda,
      validationR2: best.r2,
      r2Change: r2(dTest, pred),
      r2Level: r2(
        lead,
        pred.map((v, i) => anchor[i] + v),
      ),
      persistenceR2Change: r2(dTest, new Float64Array(test.rows)),
      persistenceR2Level: r2(lead, anchor),
      testRows: test.rows,
    });
  }
  return { model: 'ridge', features, scaler, fitRows: train.rows, horizons: scores, testStretch, seconds: (performance.now() - t0) / 1000 };
}
