/**
 * The early form of the ingest's partition cap (bqx.settings.max_partitions_per_ingest): while the source
 * streams, it counts the m1 partitions the bars read so far would create, so a file spanning too many
 * months is refused when the month that breaks the cap is read, not after the whole file (a year of 28
 * pairs took 318 s to read before its refusal). It counts against a catalog snapshot taken before the
 * staging COPY opens: a query on the ingest's client would wait behind that open COPY (the first version
 * asked the server mid-read and hung the ingest once the fast path's buffer had spilled). The count is
 * the one partitions_needed.sql makes, which stays the authoritative check under the pairs' locks: a
 * month made by another session since the snapshot is still counted here, which can only refuse early
 * an ingest that the hint (make the partitions first) then lets through.
 */

/** The snapshot (limits.sql): existing m1 month partitions by name, premake, and the month premake stops at. */
export interface PartitionSnapshot {
  /** Names of the existing m1 month partitions, m1_<pair>_<yyyy>_<mm> (bqx.month_partition_name). */
  m1_partitions: string[];
  premake_months: number;
  /** now() + max_future (epoch ms): premake never goes past the month holding it. */
  latest_ms: number;
}

interface Span {
  lo: number;
  hi: number;
  /** Month indices (year * 12 + month) of lo and hi. */
  loMonth: number;
  hiMonth: number;
  /** Bounds of those months (epoch ms): a bar inside them cannot widen the span, so costs two comparisons. */
  loStart: number;
  hiEnd: number;
}

const monthIndex = (ms: number) => {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};
const monthStart = (m: number) => Date.UTC(Math.floor(m / 12), m % 12, 1);
const monthName = (m: number) => `${Math.floor(m / 12)}_${String((m % 12) + 1).padStart(2, '0')}`;

export class PartitionBudget {
  private readonly existing: Set<string>;
  private readonly premake: number;
  private readonly limitMonth: number;
  private readonly spans = new Map<string, Span>();
  private readonly neededByPair = new Map<string, number>();
  private needed = 0;

  constructor(
    snapshot: PartitionSnapshot,
    readonly cap: number,
  ) {
    this.existing = new Set(snapshot.m1_partitions);
    this.premake = snapshot.premake_months;
    this.limitMonth = monthIndex(snapshot.latest_ms);
  }

  /**
   * Takes a valid bar's pair and instant; true when the partitions the bars so far need exceed the cap.
   * Recounts a pair only when its span gains a month, which a source in time order does once a month.
   */
  observe(pair: string, ts: number): boolean {
    const s = this.spans.get(pair);
    if (s === undefined) {
      const m = monthIndex(ts);
      this.spans.set(pair, { lo: ts, hi: ts, loMonth: m, hiMonth: m, loStart: monthStart(m), hiEnd: monthStart(m + 1) });
      return this.recount(pair);
    }
    if (ts < s.lo) s.lo = ts;
    else if (ts > s.hi) s.hi = ts;
    else return false;
    if (ts >= s.loStart && ts < s.hiEnd) return false;
    const m = monthIndex(ts);
    if (m < s.loMonth) {
      s.loMonth = m;
      s.loStart = monthStart(m);
    } else {
      s.hiMonth = m;
      s.hiEnd = monthStart(m + 1);
    }
    return this.recount(pair);
  }

  /** Partitions the bars observed so far would create. */
  get count(): number {
    return this.needed;
  }

  /** Each pair's first and last instant so far (epoch ms), in pair order, for the refusal's message. */
  pairs(): Array<{ pair: string; lo: number; hi: number }> {
    return [...this.spans.entries()].map(([pair, s]) => ({ pair, lo: s.lo, hi: s.hi })).sort((a, b) => a.pair.localeCompare(b.pair));
  }

  private recount(pair: string): boolean {
    const s = this.spans.get(pair)!;
    const stop = Math.min(s.hiMonth + this.premake, this.limitMonth);
    let n = 0;
    for (let m = s.loMonth; m <= stop; m++) if (!this.existing.has(`m1_${pair}_${monthName(m)}`)) n++;
    this.needed += n - (this.neededByPair.get(pair) ?? 0);
    this.neededByPair.set(pair, n);
    return this.needed > this.cap;
  }
}
