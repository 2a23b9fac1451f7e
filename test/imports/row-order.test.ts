import { describe, expect, it } from 'vitest';
import { rowsByContractAndMonth } from '../../src/imports/hours.plan.js';
import { rng } from '../trust/hostile.js';

// The plan reads a file's rows by (contract, month, line): duplicates are found side by side,
// and the first of two rows of a contract-month is the one named.

describe('rows by contract and month', () => {
  it('orders like a sort by (contract, month, row), duplicates and shuffled files included', () => {
    for (const seed of [1, 2, 3]) {
      const r = rng(seed);
      const n = 2_000;
      const contracts = 37;
      const rc = Int32Array.from({ length: n }, () => r.int(contracts));
      const rm = Int32Array.from({ length: n }, () => 24_300 + r.int(30));
      const expected = [...Array(n).keys()].sort((a, b) => rc[a] - rc[b] || rm[a] - rm[b] || a - b);
      expect([...rowsByContractAndMonth(rc, rm, contracts).order]).toEqual(expected);
    }
  });

  it('keeps a file already in order as it is, and handles contracts without rows', () => {
    const rc = Int32Array.from([0, 0, 0, 2, 2]);
    const rm = Int32Array.from([5, 6, 6, 1, 3]);
    expect([...rowsByContractAndMonth(rc, rm, 4).order]).toEqual([0, 1, 2, 3, 4]);
    expect([...rowsByContractAndMonth(new Int32Array(0), new Int32Array(0), 0).order]).toEqual([]);
  });
});
