// The hours of one rollup prefix by month code, in a dense array over the months seen (NaN:
// no sum for that month; 0 is a sum, and makes a row). Folding a profile's months into its
// twenty-odd prefixes (./deltas.ts) is then an addition in an array instead of a Map lookup
// and write per month and prefix, and the months come out in order.

export class MonthSums {
  private base = 0;
  private sums = new Float64Array(0);

  add(m1: number, n: number): void {
    let i = m1 - this.base;
    if (i < 0 || i >= this.sums.length) {
      this.cover(m1);
      i = m1 - this.base;
    }
    const s = this.sums[i];
    this.sums[i] = Number.isNaN(s) ? n : s + n;
  }

  /** Month codes and sums, by month. */
  *entries(): Generator<[m1: number, sum: number]> {
    for (let i = 0; i < this.sums.length; i++) {
      const s = this.sums[i];
      if (!Number.isNaN(s)) yield [this.base + i, s];
    }
  }

  /** Grows the array to hold `m1`, with a year to spare on each side. */
  private cover(m1: number): void {
    const empty = this.sums.length === 0;
    const lo = (empty ? m1 : Math.min(this.base, m1)) - 12;
    const hi = (empty ? m1 + 1 : Math.max(this.base + this.sums.length, m1 + 1)) + 12;
    const next = new Float64Array(hi - lo).fill(Number.NaN);
    if (!empty) next.set(this.sums, this.base - lo);
    this.base = lo;
    this.sums = next;
  }
}
