/** A fixed-size ring buffer of the last `size` values, oldest first on iteration. */
export class RollingWindow {
  private readonly buf: Float64Array;
  private next = 0;
  count = 0;

  constructor(readonly size: number) {
    this.buf = new Float64Array(size);
  }

  push(v: number): void {
    this.buf[this.next] = v;
    this.next = (this.next + 1) % this.size;
    if (this.count < this.size) this.count++;
  }

  get full(): boolean {
    return this.count === this.size;
  }

  /** The i-th value, oldest first (0 <= i < count). */
  at(i: number): number {
    const start = this.count < this.size ? 0 : this.next;
    return this.buf[(start + i) % this.size];
  }

  /** The value `back` pushes ago (0 = the newest). */
  ago(back: number): number {
    return this.buf[(this.next - 1 - back + 2 * this.size) % this.size];
  }

  /** Sum oldest to newest (the order TA-Lib's seeds use), computed afresh: no running-sum drift. */
  sum(): number {
    let s = 0;
    for (let i = 0; i < this.count; i++) s += this.at(i);
    return s;
  }

  max(): number {
    let m = -Infinity;
    for (let i = 0; i < this.count; i++) m = Math.max(m, this.buf[i]);
    return m;
  }

  min(): number {
    let m = Infinity;
    for (let i = 0; i < this.count; i++) m = Math.min(m, this.buf[i]);
    return m;
  }
}
