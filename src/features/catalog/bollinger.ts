import { col, type FamilyDef } from './types.ts';

function bollinger(domain: 'rate' | 'bqx'): FamilyDef {
  const x = domain === 'rate' ? 'rate_index' : 'x = w15_bqx_return';
  // Spec section 7: the default lag set is the rate-domain families (+ volume, spread): 139 columns.
  const lag = domain === 'rate';
  const conv = 'k = 2, population sigma (ddof 0)';
  const columns = [20, 50].flatMap((n) => [
    col(`bb_upper_${n}`, domain, n, `SMA_${n} + 2 * sigma_${n} of ${x}`, { laggable: lag, convention: conv }),
    col(`bb_middle_${n}`, domain, n, `SMA_${n} of ${x}`, { laggable: lag, convention: conv }),
    col(`bb_lower_${n}`, domain, n, `SMA_${n} - 2 * sigma_${n}`, { laggable: lag, convention: conv }),
    col(
      `bb_bandwidth_${n}`,
      domain,
      n,
      domain === 'rate' ? '(upper - lower) / middle' : 'upper - lower (middle is near 0 in the bqx domain)',
      {
        laggable: lag,
        convention: conv,
        nullRule: domain === 'rate' ? `NULL until ${n} bars exist or when middle = 0` : `NULL until ${n} bars exist`,
      },
    ),
    col(`bb_percent_b_${n}`, domain, n, '(x - lower) / (upper - lower)', {
      laggable: lag,
      convention: conv,
      nullRule: `NULL until ${n} bars exist or when upper = lower (flat window, detected as max = min)`,
    }),
  ]);
  return {
    family: `bollinger_${domain}`,
    kind: 'sql',
    description: `Bollinger bands of the ${domain} domain over 20 and 50 bars`,
    dependsOn: domain === 'rate' ? ['m1'] : ['bqx'],
    lookbackBars: 50,
    countsAsFeature: true,
    columns,
  };
}

export const bollingerRate = bollinger('rate');
export const bollingerBqx = bollinger('bqx');
