/**
 * [from, to) cut at the UTC month starts inside it. `bqx backfill` runs its range month by month: a
 * unit (one pair and family) then holds at most a month of rows in its backend, whatever the range. One
 * unit over the whole range made the backends grow with it (volume_features about 370 MiB a pair-month,
 * 1.5 GiB for four months; a pair-year would need gigabytes per worker).
 */
export function monthChunks(from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let lo = from;
  while (lo < to) {
    const d = new Date(lo);
    const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    const hi = Math.min(next, to);
    out.push([lo, hi]);
    lo = hi;
  }
  return out;
}
