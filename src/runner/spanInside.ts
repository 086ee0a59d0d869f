/**
 * Whether the half-open span [lo, hi) lies inside [from, to). Not postgres-range's `containsRange`: it
 * tests the inner range's upper bound as a point of the outer one, exclusive or not, so a span ending
 * exactly at the outer range's exclusive end counted as outside. A backfill reaching the end of the
 * series then never took the ingest's dirty spans along, and the next refresh recomputed all of it.
 */
export function spanInside(from: number, to: number, lo: number, hi: number): boolean {
  return lo >= from && hi <= to;
}
