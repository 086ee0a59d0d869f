import { describe, expect, it } from 'vitest';
import { BqxError } from '../../src/db/errors.ts';
import { normalizePair, PAIR_NAMES, PAIRS, pairInfo, parsePairList } from '../../src/features/pairs.ts';

describe('pairs', () => {
  it('are the 28 pairs of the 8 majors with base by priority', () => {
    expect(PAIR_NAMES).toHaveLength(28);
    expect(PAIR_NAMES).toEqual([
      'audcad',
      'audchf',
      'audjpy',
      'audnzd',
      'audusd',
      'cadchf',
      'cadjpy',
      'chfjpy',
      'euraud',
      'eurcad',
      'eurchf',
      'eurgbp',
      'eurjpy',
      'eurnzd',
      'eurusd',
      'gbpaud',
      'gbpcad',
      'gbpchf',
      'gbpjpy',
      'gbpnzd',
      'gbpusd',
      'nzdcad',
      'nzdchf',
      'nzdjpy',
      'nzdusd',
      'usdcad',
      'usdchf',
      'usdjpy',
    ]);
  });

  it('quote JPY pairs with 3 decimals and a 0.01 pip, others with 5 and 0.0001', () => {
    expect(pairInfo('usdjpy')).toMatchObject({ base: 'usd', quote: 'jpy', pipSize: 0.01, priceDecimals: 3 });
    expect(pairInfo('eurusd')).toMatchObject({ base: 'eur', quote: 'usd', pipSize: 0.0001, priceDecimals: 5 });
    expect(PAIRS.filter((p) => p.priceDecimals === 3).map((p) => p.pair)).toEqual([
      'audjpy',
      'cadjpy',
      'chfjpy',
      'eurjpy',
      'gbpjpy',
      'nzdjpy',
      'usdjpy',
    ]);
  });

  it('folds common spellings and refuses anything else with a hint', () => {
    expect(normalizePair('EUR_USD')).toBe('eurusd');
    expect(normalizePair('EUR/USD')).toBe('eurusd');
    expect(parsePairList('usdjpy,EURUSD,eurusd')).toEqual(['eurusd', 'usdjpy']);
    expect(parsePairList('all')).toHaveLength(28);
    for (const bad of ['usdeur', "eurusd'; drop table bqx.m1; --", 'bqx.eurusd', '"eurusd"', '']) {
      const err = (() => {
        try {
          pairInfo(bad);
        } catch (e) {
          return e;
        }
      })() as BqxError;
      expect(err).toBeInstanceOf(BqxError);
      expect(err.code).toBe('BQX_UNKNOWN_PAIR');
      expect(err.message).toContain(JSON.stringify(bad));
      expect(err.hint).toContain('eurusd');
    }
  });
});
