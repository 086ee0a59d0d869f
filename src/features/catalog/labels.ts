import { col, type FamilyDef } from './types.ts';

export const HORIZONS = [15, 30, 45, 60, 75] as const;

/** Targets (spec section 6). Their own table; never joined into feature tables or views. */
export const labels: FamilyDef = {
  family: 'labels',
  kind: 'labels',
  description: 'Forward BQX targets: the only place the future is read',
  dependsOn: ['bqx'],
  lookbackBars: 0,
  lookaheadBars: 75,
  countsAsFeature: false,
  columns: HORIZONS.flatMap((h) => [
    col(`bqx_w60_lead_${h}`, 'label', h, `w60_bqx_return(t + ${h}) (LEAD by ${h} bars)`, {
      nullRule: `NULL where fewer than ${h} future bars exist`,
    }),
    col(`d_bqx_w60_${h}`, 'label', h, `bqx_w60_lead_${h} - w60_bqx_return(t)`, {
      nullRule: `NULL where fewer than ${h} future bars exist`,
    }),
  ]),
};
