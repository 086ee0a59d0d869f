import { col, type FamilyDef } from './types.ts';

function statistics(domain: 'rate' | 'bqx'): FamilyDef {
  // Spec section 7: the default lag set is the rate-domain families (+ volume, spread): 139 columns.
  const lag = domain === 'rate';
  const conv = 'population moments over the W bars ending at t';
  const columns = [20, 50, 120].flatMap((n) => [
    col(`mean_${n}`, domain, n, `mean of the ${n} bars ending at t`, { laggable: lag, convention: conv }),
    col(`std_${n}`, domain, n, 'population std (ddof 0)', { laggable: lag, convention: conv }),
    col(`skew_${n}`, domain, n, 'm3 / m2^1.5', {
      laggable: lag,
      convention: conv,
      nullRule: `NULL until ${n} bars exist or when the window is flat`,
    }),
    col(`kurt_${n}`, domain, n, 'm4 / m2^2 - 3 (excess)', {
      laggable: lag,
      convention: conv,
      nullRule: `NULL until ${n} bars exist or when the window is flat`,
    }),
    col(`min_${n}`, domain, n, 'min', { laggable: lag }),
    col(`max_${n}`, domain, n, 'max', { laggable: lag }),
    col(`range_${n}`, domain, n, 'max - min', { laggable: lag }),
    col(`zscore_${n}`, domain, n, '(x - mean) / std', {
      laggable: lag,
      convention: conv,
      nullRule: `NULL until ${n} bars exist or when the window is flat`,
    }),
  ]);
  return {
    family: `statistics_${domain}`,
    kind: 'sql',
    description: `Rolling moments of the ${domain} domain over 20, 50 and 120 bars`,
    dependsOn: domain === 'rate' ? ['m1'] : ['bqx'],
    lookbackBars: 120,
    countsAsFeature: true,
    columns,
  };
}

export const statisticsRate = statistics('rate');
export const statisticsBqx = statistics('bqx');
