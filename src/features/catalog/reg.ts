import { col, type FamilyDef } from './types.ts';

export const REG_METRICS = [
  'a2',
  'a1',
  'b',
  'r2',
  'rmse',
  'residual_mean',
  'residual_std',
  'prediction',
  'pi_lower',
  'pi_upper',
  'vertex_x',
  'vertex_y',
  'curvature',
  'fit_quality',
  'extrapolation_error',
] as const;
export const REG_WINDOWS = [
  { name: 'w15', bars: 15 },
  { name: 'w30', bars: 30 },
  { name: 'w45', bars: 45 },
  { name: 'w60', bars: 60 },
  { name: 'w75', bars: 75 },
  { name: 'agg', bars: 90 },
] as const;

const FORMULA: Record<(typeof REG_METRICS)[number], string> = {
  a2: 'quadratic coefficient of y = a2 k^2 + a1 k + b, k = 0..W-1',
  a1: 'linear coefficient (raw k)',
  b: 'fitted value at the window start (k = 0)',
  r2: '1 - SSres/SStot',
  rmse: 'sqrt(SSres / W)',
  residual_mean: 'mean residual',
  residual_std: 'population std of the residuals',
  prediction: 'fitted value at k = W-1 (bar t)',
  pi_lower: 'prediction - 1.96 * residual_std',
  pi_upper: 'prediction + 1.96 * residual_std',
  vertex_x: '-a1 / (2 a2), in k units',
  vertex_y: 'fitted value at vertex_x',
  curvature: '|a2|',
  fit_quality: 'clamp(r2, 0, 1)',
  extrapolation_error: 'residual_std / |prediction|',
};
const NULLS: Partial<Record<(typeof REG_METRICS)[number], string>> = {
  r2: 'NULL when SStot = 0 (flat window)',
  fit_quality: 'NULL when SStot = 0',
  vertex_x: 'NULL when |a2| (W-1)^2 <= 1e-12 max|y|',
  vertex_y: 'NULL when |a2| (W-1)^2 <= 1e-12 max|y|',
  extrapolation_error: 'NULL when prediction = 0',
};

function reg(domain: 'rate' | 'bqx'): FamilyDef {
  const tag = domain === 'rate' ? 'idx' : 'bqx';
  return {
    family: `reg_${domain}`,
    kind: 'sql',
    description: `Rolling quadratic least-squares fits of ${domain === 'rate' ? 'rate_index' : 'w15_bqx_return'} over the W bars ending at t`,
    dependsOn: domain === 'rate' ? ['m1'] : ['bqx'],
    lookbackBars: 90,
    countsAsFeature: true,
    columns: REG_WINDOWS.flatMap((w) =>
      REG_METRICS.map((m) =>
        col(`${m}_${tag}_${w.name}`, domain, w.bars, FORMULA[m], {
          convention: 'closed form on the centred abscissa u = k - (W-1)/2',
          nullRule: `NULL until ${w.bars} bars exist${NULLS[m] ? `; ${NULLS[m]}` : ''}`,
        }),
      ),
    ),
  };
}

export const regRate = reg('rate');
export const regBqx = reg('bqx');
