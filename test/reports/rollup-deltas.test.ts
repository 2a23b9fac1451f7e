import { describe, expect, it } from 'vitest';
import type { ContractFacts } from '../../src/reports/dimensions.js';
import { month1, RollupDeltas } from '../../src/reports/rollups/deltas.js';
import { MonthSums } from '../../src/reports/rollups/month-sums.js';
import { rowOrder } from '../../src/reports/rollups/rollups.store.js';

// A long CLI import folds its per-profile sums into per-prefix sums now and then
// (src/reports/rollups/held.ts): the rows written at the end must not depend on when.

const facts = (id: number, over: Partial<ContractFacts> = {}): ContractFacts => ({
  id,
  participant_id: id,
  // Programmes 1, 2 and 10: the write order is a text order ('10' before '2'), as the store's.
  programme_id: [1, 2, 10][id % 3],
  marche_id: 1 + (id % 3),
  cite_id: 1 + (id % 2),
  epci_id: 1,
  departement_code: '62',
  bailleur_id: null,
  contractor_id: 1 + (id % 2),
  contract_type: id % 2 ? 'CDI' : 'CDD',
  mode: 'DIRECT',
  categories: id % 3 ? 'RSA' : '',
  cat_rsa: id % 3 ? 1 : 0,
  cat_jeune: id % 4 === 0 ? 1 : 0,
  cat_senior: 0,
  rsa_departement: id % 3 ? '62' : null,
  sex: id % 2 ? 'F' : 'M',
  structure_ids: [1],
  ...over,
});

const m = (month: string) => month1(month);

/** Adds the same changes to `d`, calling `between` after each contract. */
function fill(d: RollupDeltas, between: () => void): void {
  for (let id = 1; id <= 12; id++) {
    const f = facts(id);
    const months = ['2024-01', '2024-02', '2024-03'].slice(0, 1 + (id % 3)).map(m);
    for (const m1 of months) d.addHours(d.profileOf(f, 'h'), m1, 100 * id);
    d.addHours(d.profileOf(f, 'h'), m('2024-04'), 0); // a zero delta still makes a row
    d.addLinks(d.profileOf(f, 'c'), [], months);
    d.addParticipant(
      [f],
      () => [],
      () => months,
    );
    between();
    // The same contract taken out again for even ids: its links sum to zero, and vanish.
    if (id % 2 === 0) {
      d.addLinks(d.profileOf(f, 'c'), months, []);
      between();
    }
  }
}

const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('rollup deltas', () => {
  it('writes the same rows whether sums were folded after every change or only at the end', () => {
    const once = new RollupDeltas();
    fill(once, () => {});
    const often = new RollupDeltas();
    fill(often, () => often.fold());
    expect(often.unfolded).toBe(0);
    const hours = [...once.hourRows()];
    expect(hours.length).toBeGreaterThan(0);
    expect(hours.some((r) => r.month === '2024-04' && r.centihours === 0)).toBe(true);
    expect(sorted([...often.hourRows()])).toEqual(sorted(hours));
    const counts = [...once.countRows()];
    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((r) => r.n !== 0)).toBe(true);
    expect(sorted([...often.countRows()])).toEqual(sorted(counts));
  });

  it('gives rows in the store’s write order, so that transactions lock them in one order', () => {
    const d = new RollupDeltas();
    fill(d, () => {});
    const inOrder = <T>(rows: T[], key: (r: T) => string) => rows.every((r, i) => i === 0 || key(rows[i - 1]) < key(r));
    const hours = [...d.hourRows()];
    expect(new Set(hours.map((r) => r.programme_id))).toEqual(new Set([1, 2, 10]));
    expect(inOrder(hours, (r) => rowOrder([r.programme_id, r.dim, r.key, r.month]))).toBe(true);
    const counts = [...d.countRows()];
    expect(inOrder(counts, (r) => rowOrder([r.programme_id, r.dim, r.entity, r.key, r.month, r.prev]))).toBe(true);
  });
});

describe('month sums', () => {
  it('adds by month whatever the order months come in, keeps a zero sum and gives months in order', () => {
    const s = new MonthSums();
    s.add(m('2024-06'), 5);
    s.add(m('2019-01'), 7); // below the array: it grows down
    s.add(m('2031-12'), 0); // far above: it grows up; a zero is a sum
    s.add(m('2024-06'), -5);
    s.add(m('2019-01'), 1);
    expect([...s.entries()]).toEqual([
      [m('2019-01'), 8],
      [m('2024-06'), 0],
      [m('2031-12'), 0],
    ]);
  });
});
