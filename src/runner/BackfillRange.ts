/**
 * The whole range of a backfill run month by month (monthChunks.ts), with what each pair's first plan
 * saw. A dirty span reaches from its bars to the end of the series, across months: no single month's
 * unit recomputes all of it, so a month's units never took it along, and the next refresh recomputed the
 * whole backfill again. Here the unit of the month where a span's reach ends takes it, when the reach
 * lies inside the whole range (the months before ran and completed: a month that does not stops the
 * run) and the span was already there when the pair's first month was planned (one recorded later may
 * change bars an earlier month computed before it: it stays for the incremental refresh).
 */
export class BackfillRange {
  private readonly seen = new Map<string, ReadonlySet<number | string>>();

  constructor(
    readonly from: number,
    readonly to: number,
  ) {}

  /** What `key` (a pair, or the cross-section) had waiting when first planned: span ids and marks. */
  firstSeen(key: string, waiting: () => Iterable<number | string>): ReadonlySet<number | string> {
    let s = this.seen.get(key);
    if (!s) {
      s = new Set(waiting());
      this.seen.set(key, s);
    }
    return s;
  }

  /** Whether the unit of the month [from, to) takes a waiting span (or mark) whose reach is [lo, hi). */
  takes(seen: ReadonlySet<number | string>, id: number | string, month: readonly [number, number], lo: number, hi: number): boolean {
    return seen.has(id) && lo >= this.from && hi <= this.to && hi > month[0] && hi <= month[1];
  }
}
