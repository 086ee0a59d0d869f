/**
 * A served vector split around its one instant-dependent field, so bqx serve can cache the rest.
 * bqx.feature_vector_json's document is {"pair": …, "ts_utc": "…", "age_seconds": N, "features": {…}}: for
 * every instant of the same minute it is the same bar, so the same text but for N = at - (T + 1 min).
 * The fragment keeps the text before and after N as UTF-8 and renders N from the request's instant the
 * way PostgreSQL prints a float8; splitVector checks that against the database's own N and refuses
 * (returns null) a document it would not render identically.
 */
export interface VectorFragment {
  /** The bar T in epoch ms. */
  tsMs: number;
  /** Up to and including `"age_seconds": `. */
  head: Buffer;
  /** From `, "features": ` to the end. */
  tail: Buffer;
}

const AGE = '"age_seconds": ';
const FEATURES = ', "features": ';
const TS = /"ts_utc": "(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)"/;

/** A float8 as PostgreSQL prints it (shortest round trip; exponent form below 1e-4 and from 1e15 up). */
export function formatFloat8(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite float8: ${x}`);
  const a = Math.abs(x);
  if (a === 0 || (a >= 1e-4 && a < 1e15)) return Object.is(x, -0) ? '-0' : String(x);
  const [m, e] = x.toExponential().split('e');
  const n = Number(e);
  return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
}

/** age_seconds at instant atMs for bar tsMs, as bqx.feature_vector_json computes it. */
export const ageSeconds = (atMs: number, tsMs: number) => (atMs - tsMs - 60_000) / 1000;

/**
 * The fragment of a document fetched for instant atMs (encoded once: the fragment's pieces are views of
 * `bytes`, which is also the response for that instant), or null if rendering it back would differ.
 */
export function splitVector(doc: string, atMs: number): (VectorFragment & { bytes: Buffer }) | null {
  // its own memory, not a slice of Node's shared 8 kB pool (a small cached vector would keep a slab alive)
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(doc));
  bytes.write(doc);
  const i = bytes.indexOf(AGE);
  const j = i < 0 ? -1 : bytes.indexOf(FEATURES, i);
  const ts = i < 0 ? null : TS.exec(bytes.toString('latin1', 0, i));
  if (j < 0 || ts === null) return null;
  const tsMs = Date.parse(ts[1]);
  if (formatFloat8(ageSeconds(atMs, tsMs)) !== bytes.toString('latin1', i + AGE.length, j)) return null;
  return { tsMs, head: bytes.subarray(0, i + AGE.length), tail: bytes.subarray(j), bytes };
}

/** The pieces of the document at instant atMs (Buffer.concat them, or several vectors' at once). */
export function renderPieces(f: VectorFragment, atMs: number): Buffer[] {
  return [f.head, Buffer.from(formatFloat8(ageSeconds(atMs, f.tsMs))), f.tail];
}
