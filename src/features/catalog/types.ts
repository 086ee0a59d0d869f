/** Types of the feature catalog: the one description of every column the store has. */
export type Domain = 'rate' | 'bqx' | 'volume' | 'spread' | 'time' | 'base' | 'label';

/** Where a family is computed: in SQL, in TypeScript, or loaded (m1). */
export type FamilyKind = 'base' | 'sql' | 'ts' | 'labels';

export interface ColumnDef {
  name: string;
  domain: Domain;
  /** Window in bars, when the column has one. */
  window: number | null;
  /** The definition, in the spec's notation. */
  formula: string;
  /** When the value is NULL (beyond "until its full window exists"). */
  nullRule: string;
  /** Whether the dataset pipeline lags it by default (spec section 7). */
  laggable: boolean;
  /** Convention followed (TA-Lib, population moments ...), where one applies. */
  convention?: string;
  /**
   * NULL often by its own definition on ordinary data (not a sign of missing inputs): the dataset
   * pipeline reports its missing share instead of failing on the 1% rule, and fails only if the column
   * is NULL on every row past warm-up (never computed).
   */
  sparse?: boolean;
  /**
   * The column's previous name, when it was renamed: the catalog migration generator then writes
   * `rename column` (the data stays) instead of a drop and an add. May be removed once merged.
   */
  renamedFrom?: string;
}

export interface FamilyDef {
  family: string;
  kind: FamilyKind;
  description: string;
  /** Families whose rows this one reads; the runner refreshes in this order. */
  dependsOn: string[];
  /** Bars before `from` a refresh must read (longest window plus its inputs' own lookback). */
  lookbackBars: number;
  /** Bars after a value a refresh must read (labels only): new bars change the last this many values. */
  lookaheadBars?: number;
  /** Counted among the plan's 433 nominal features. */
  countsAsFeature: boolean;
  columns: ColumnDef[];
  /**
   * A family computed bar by bar from its own bqx.m1 row (kind 'sql', dependsOn ['m1'], lookback 0):
   * column name -> SQL expression over that row's m1 columns. The generators write its refresh function
   * from this (src/features/sqlgen/perBar.ts), so such a family is its catalog entry alone.
   */
  perBar?: Record<string, string>;
}

export function col(
  name: string,
  domain: Domain,
  window: number | null,
  formula: string,
  extra: Partial<Pick<ColumnDef, 'nullRule' | 'laggable' | 'convention' | 'sparse' | 'renamedFrom'>> = {},
): ColumnDef {
  return {
    name,
    domain,
    window,
    formula,
    nullRule: extra.nullRule ?? (window ? `NULL until ${window} bars exist` : 'never NULL when its inputs are present'),
    laggable: extra.laggable ?? false,
    convention: extra.convention,
    ...(extra.sparse ? { sparse: true } : {}),
    ...(extra.renamedFrom ? { renamedFrom: extra.renamedFrom } : {}),
  };
}
