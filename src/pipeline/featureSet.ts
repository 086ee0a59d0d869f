/**
 * Which columns a dataset holds (spec section 7): the chosen families' features as the feature views
 * name them, each lagged by every requested lag (`{feature}_lag{n}`) except the time features, which
 * are never lagged. `default` is the spec's set: bollinger_rate, statistics_rate, volume_features and
 * spread_features (139 columns, x4 with three lags) plus the 20 time features = 576 columns.
 */
import { BqxError } from '../db/errors.ts';
import { DEFAULT_HORIZONS, LAGS } from '../features/catalog/dataset.ts';
import { FAMILIES, type FamilyDef, family as familyDef, nullClass } from '../features/catalog/index.ts';
import { HORIZONS } from '../features/catalog/labels.ts';
import { viewColumnName } from '../features/sqlgen/views.ts';

export const DEFAULT_FAMILIES = ['bollinger_rate', 'statistics_rate', 'volume_features', 'spread_features', 'time_features'] as const;
/** The catalog's (src/features/catalog/dataset.ts): one list for the lagged views and the pipeline. */
export const DEFAULT_LAGS = LAGS;
export { DEFAULT_HORIZONS };

const NEVER_LAGGED = new Set(['time_features']);

/** A column read from Postgres (the feature view's name). */
export interface BaseColumn {
  /** The analyst views' name (`rate_mean_20`). */
  name: string;
  /** The family table's name (`mean_20`). */
  column: string;
  family: string;
  /** Bars of history the value needs before it is a full-window value (its family's chain of lookbacks). */
  warmup: number;
  lagged: boolean;
  /** NULL often by definition (catalog `sparse`): reported, not held to the missing-share limit. */
  sparse: boolean;
}

/** A column of the dataset: a base column, or a base column shifted by `lag` rows. */
export interface DatasetColumn {
  name: string;
  source: string;
  family: string;
  lag: number;
  /** Bars of the pair's series that must precede a row for this column to be past its warm-up. */
  warmup: number;
}

export interface FeatureSet {
  families: string[];
  lags: number[];
  horizons: number[];
  base: BaseColumn[];
  columns: DatasetColumn[];
  labels: string[];
  /** The warm-up of the whole set: rows with fewer bars before them are not dataset rows. */
  warmup: number;
}

/** Bars a family's values need: its own lookback on top of the longest chain of its inputs. */
export function familyWarmup(f: FamilyDef): number {
  const deps = f.dependsOn.map((d) => familyWarmup(familyDef(d)));
  return f.lookbackBars + (deps.length ? Math.max(...deps) : 0);
}

export function resolveFamilies(spec: string | undefined): string[] {
  const s = (spec ?? 'default').trim();
  if (s === '' || s === 'default') return [...DEFAULT_FAMILIES];
  const features = FAMILIES.filter((f) => f.countsAsFeature);
  if (s === 'all') return features.map((f) => f.family);
  const names = s.split(',').map((x) => x.trim());
  for (const n of names) {
    const f = familyDef(n);
    if (!f.countsAsFeature) {
      throw new BqxError('BQX_USAGE', `--features ${n}: ${n} is not a feature family`, {
        hint: `use default, all, or a comma list of: ${features.map((x) => x.family).join(', ')}`,
      });
    }
  }
  return features.filter((f) => names.includes(f.family)).map((f) => f.family);
}

export function parseIntList(flag: string, value: string | undefined, fallback: readonly number[]): number[] {
  if (value === undefined) return [...fallback];
  const parts = value
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  const out = parts.map(Number);
  if (!parts.length || out.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new BqxError('BQX_USAGE', `${flag} ${JSON.stringify(value)} is not a comma list of positive whole numbers`, {
      hint: `e.g. ${flag} ${fallback.join(',')}`,
    });
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

export function resolveFeatureSet(opts: { features?: string; lags?: readonly number[]; horizons?: readonly number[] } = {}): FeatureSet {
  const families = resolveFamilies(opts.features);
  const lags = [...(opts.lags ?? DEFAULT_LAGS)];
  const horizons = [...(opts.horizons ?? DEFAULT_HORIZONS)];
  const bad = horizons.filter((h) => !(HORIZONS as readonly number[]).includes(h));
  if (bad.length) {
    throw new BqxError('BQX_USAGE', `--horizons ${bad.join(',')}: the labels table holds horizons ${HORIZONS.join(', ')} only`, {
      hint: `choose from ${HORIZONS.join(',')}`,
    });
  }
  const base: BaseColumn[] = families.flatMap((name) => {
    const f = familyDef(name);
    const warmup = familyWarmup(f);
    return f.columns.map((c) => ({
      name: viewColumnName(name, c.name),
      column: c.name,
      family: name,
      warmup,
      lagged: !NEVER_LAGGED.has(name),
      sparse: nullClass(c) === 'sparse',
    }));
  });
  const columns: DatasetColumn[] = [];
  for (const b of base) {
    columns.push({ name: b.name, source: b.name, family: b.family, lag: 0, warmup: b.warmup });
    if (b.lagged)
      for (const n of lags) columns.push({ name: `${b.name}_lag${n}`, source: b.name, family: b.family, lag: n, warmup: b.warmup + n });
  }
  const labels = horizons.flatMap((h) => [`bqx_w60_lead_${h}`, `d_bqx_w60_${h}`]);
  return { families, lags, horizons, base, columns, labels, warmup: Math.max(0, ...columns.map((c) => c.warmup)) };
}
