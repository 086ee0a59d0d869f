import { type ColumnDef, col, type FamilyDef } from './types.ts';

const ohlc = ['open', 'high', 'low', 'close'] as const;

function priceCols(prefix: string, what: string): ColumnDef[] {
  return ohlc.map((p) =>
    col(prefix + p, 'base', null, `${what} ${p} of the minute`, {
      nullRule: prefix ? 'NULL where the source has no bid/ask' : 'never NULL',
    }),
  );
}

/** 1-minute bars (spec section 2): mid OHLC, bid/ask OHLC where the source has them, tick volume, indices. */
export const m1: FamilyDef = {
  family: 'm1',
  kind: 'base',
  description: '1-minute bars: mid, bid and ask OHLC, tick volume and the rate indices against the pair baseline',
  dependsOn: [],
  lookbackBars: 0,
  countsAsFeature: false,
  columns: [
    ...priceCols('', 'mid'),
    ...priceCols('bid_', 'bid'),
    ...priceCols('ask_', 'ask'),
    col('volume', 'base', null, 'tick volume of the minute', { nullRule: 'NULL where the source has no volume' }),
    col('rate_index', 'base', null, '100 * close / B, B = close of the first bar at or after the pair base instant', {
      nullRule: 'NULL until the pair baseline is established',
    }),
    col('open_index', 'base', null, '100 * open / B', { nullRule: 'as rate_index' }),
    col('high_index', 'base', null, '100 * high / B', { nullRule: 'as rate_index' }),
    col('low_index', 'base', null, '100 * low / B', { nullRule: 'as rate_index' }),
  ],
};
