// Compact per-row storage for big imports: a million rows hold in a few typed arrays
// (16 bytes a row) instead of a million objects.

export class IntColumn {
  private data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  /**
   * Gives back the room kept for growth (up to half the array): a file's rows are kept to the
   * end of its import, and at 3 million rows the four columns held 19 MB of room for nothing.
   */
  trim(): void {
    if (this.data.length > this.length) this.data = this.data.slice(0, this.length);
  }
  /** The filled part, for tight loops. */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
  get(i: number): number {
    return this.data[i];
  }
  set(i: number, v: number): void {
    this.data[i] = v;
  }
}

/** Months as small integers (year * 12 + month - 1), with one shared string per month. */
export const monthCode = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

const monthStrings = new Map<number, string>();
export function monthText(code: number): string {
  let s = monthStrings.get(code);
  if (!s) {
    s = `${Math.floor(code / 12)}-${String((code % 12) + 1).padStart(2, '0')}`;
    monthStrings.set(code, s);
  }
  return s;
}

/** Row errors, all kept up to a cap (beyond it only counted, so memory stays bounded). */
export class ErrorList<E> {
  readonly items: E[] = [];
  count = 0;
  constructor(readonly cap = 10_000) {}
  add(e: E): void {
    this.count++;
    if (this.items.length < this.cap) this.items.push(e);
  }
}

export function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
