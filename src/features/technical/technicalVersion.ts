/**
 * The version of the TypeScript families' definition (technical_rate, technical_bqx: TechnicalCalculator,
 * src/runner/refreshTechnical.ts and its SQL). It stands in for the generated SQL body the other families
 * are fingerprinted by: raise it with any change that changes a stored value, and `bqx status` lists the
 * rows computed before as stale, `bqx refresh` recomputes them.
 */
export const TECHNICAL_VERSION = '1';
