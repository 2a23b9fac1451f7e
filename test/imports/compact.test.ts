import { describe, expect, it } from 'vitest';
import { IntColumn, LineColumn } from '../../src/imports/compact.js';
import { rng } from '../trust/hostile.js';

// The per-row columns of a big import (src/imports/compact.ts): values in blocks, joined once;
// lines kept as runs.

describe('IntColumn', () => {
  it('gives back every value pushed, across block boundaries, in one array of the right kind', () => {
    const col = new IntColumn(Uint16Array);
    const n = 65_536 * 2 + 17;
    for (let i = 0; i < n; i++) col.push(i % 65_000);
    const v = col.view();
    expect(v).toBeInstanceOf(Uint16Array);
    expect(v.length).toBe(n);
    for (const i of [0, 65_535, 65_536, 131_071, 131_072, n - 1]) expect(v[i]).toBe(i % 65_000);
    expect(col.view()).toBe(v); // joined once
    expect(() => col.push(1)).toThrow(/already joined/);
  });

  it('refuses a value its kind cannot hold instead of wrapping it around', () => {
    const col = new IntColumn(Uint16Array);
    expect(() => col.push(65_536)).toThrow(RangeError);
    expect(() => col.push(-1)).toThrow(RangeError);
  });
});

describe('LineColumn', () => {
  it('tells the line of every row, whatever lines were skipped', () => {
    const { next } = rng(7);
    const lines: number[] = [];
    let line = 1;
    for (let i = 0; i < 5_000; i++) {
      // Mostly the next line; now and then a blank line, a cell over lines or a row left out.
      line += next() < 0.9 ? 1 : 2 + Math.floor(next() * 5);
      lines.push(line);
    }
    const col = new LineColumn();
    for (const l of lines) col.push(l);
    expect(lines.every((l, i) => col.get(i) === l)).toBe(true);
  });

  it('keeps a single run for a file whose rows follow each other', () => {
    const col = new LineColumn();
    for (let l = 2; l < 100_002; l++) col.push(l);
    expect(col.get(0)).toBe(2);
    expect(col.get(99_999)).toBe(100_001);
    expect((col as unknown as { runRow: IntColumn }).runRow.length).toBe(1);
  });
});
