// Compact per-row storage for big imports: a million rows hold in a few typed arrays (about
// 8 bytes a row while the file is read, 15 with the plan: ./hours.plan.ts) instead of a
// million objects.

type IntArray = Int32Array | Uint32Array | Int16Array | Uint16Array | Uint8Array;
interface IntArrayKind<A extends IntArray> {
  new (length: number): A;
}

const BLOCK = 65_536;

/**
 * A growing column of integers of one typed-array kind (Uint16Array for months and hours,
 * whose ranges the rules bound). Values go into blocks of 64 Ki, so that growing never copies
 * and keeps at most one block unused; `view` joins the blocks once, when the file is read.
 * A doubling array held up to twice the rows, and three times while it copied: at 3 million
 * rows, about 100 MB for the four columns of 16 MB each then.
 */
export class IntColumn<A extends IntArray = Int32Array> {
  private blocks: A[] = [];
  private last: A | null = null;
  private filled = BLOCK;
  private joined: A | null = null;
  length = 0;
  constructor(private readonly kind: IntArrayKind<A>) {}

  push(v: number): void {
    if (this.filled === BLOCK) {
      if (this.joined) throw new Error('IntColumn: column already joined');
      this.last = new this.kind(BLOCK);
      this.blocks.push(this.last);
      this.filled = 0;
    }
    const block = this.last!;
    block[this.filled] = v;
    // A value the kind cannot hold would wrap around silently.
    if (block[this.filled] !== v) throw new RangeError(`IntColumn: ${v} out of range`);
    this.filled++;
    this.length++;
  }

  /** The values in one array, for tight loops; the blocks are let go (call it column by column). */
  view(): A {
    if (!this.joined) {
      const out = new this.kind(this.length);
      const last = this.blocks.length - 1;
      for (let i = 0; i <= last; i++)
        out.set(i === last ? this.blocks[i].subarray(0, this.filled) : this.blocks[i], i * BLOCK);
      this.joined = out;
      this.blocks = [];
      this.last = null;
      this.filled = BLOCK; // a push now finds the column joined, and says so
    }
    return this.joined;
  }
}

/**
 * The line of each row, kept only where a row does not sit on the line after the previous
 * row's (blank lines, cells over several lines, rows left out): most files keep one run.
 */
export class LineColumn {
  private readonly runRow = new IntColumn(Int32Array);
  private readonly runLine = new IntColumn(Int32Array);
  private lastLine = -1;
  length = 0;

  push(line: number): void {
    if (line !== this.lastLine + 1 || this.length === 0) {
      this.runRow.push(this.length);
      this.runLine.push(line);
    }
    this.lastLine = line;
    this.length++;
  }

  /** The line of row i: its run's first line, plus its place in the run. */
  get(i: number): number {
    const rows = this.runRow.view();
    let lo = 0;
    let hi = rows.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (rows[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return this.runLine.view()[lo] + (i - rows[lo]);
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
