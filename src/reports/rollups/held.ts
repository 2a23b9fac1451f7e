import type { Knex } from 'knex';
import { M, monthOf1, type PrefixParts, type RollupDeltas } from './deltas.js';
import type { CountDelta, HoursDelta } from './rollups.store.js';
import * as store from './rollups.store.js';

// Rollup writes held until the end of a transaction: a CLI import's chunks add to the same
// rollup rows again and again (every month of every key reports group by), so their sums are
// written once, before the import commits, instead of once per chunk: at a million rows,
// 94 000 rows written once instead of more than 3 million upserts. Only writes are held: each
// chunk's upkeep still reads what it needs, and nothing reads the rollups inside the import.
// Sums are kept by number (a prefix's index here * 2^30 + a month or link code, ./deltas.ts):
// no string and no object per row.

const SEP = '\u0000';
const PREFIX = 2 ** 30; // > every link code; index * PREFIX + code stays an exact double

class HeldWrites {
  readonly ids = new Map<string, number>();
  readonly parts: PrefixParts[] = [];
  readonly hours = new Map<number, number>();
  readonly counts = new Map<number, number>();

  add(deltas: RollupDeltas): void {
    const sums = deltas.prefixSums();
    const idOf = sums.parts.map((p) => {
      const k = [p.programme_id, p.dim, p.entity, p.key].join(SEP);
      let id = this.ids.get(k);
      if (id === undefined) {
        this.ids.set(k, (id = this.parts.length));
        this.parts.push(p);
      }
      return id * PREFIX;
    });
    const into = (target: Map<number, number>, per: Array<Map<number, number> | undefined>) =>
      per.forEach((inner, prefix) => {
        const base = idOf[prefix];
        for (const [code, n] of inner ?? []) target.set(base + code, (target.get(base + code) ?? 0) + n);
      });
    into(this.hours, sums.hours);
    into(this.counts, sums.links);
  }
}

const held = new WeakMap<object, HeldWrites>();

/** From now on, the rollup writes of `trx` wait for `writeHeldRollups`. */
export function holdRollupWrites(trx: Knex): void {
  held.set(trx, new HeldWrites());
}

/** Adds an upkeep's deltas to the rollups now, or to what `trx` holds. */
export async function addRollupDeltas(trx: Knex, deltas: RollupDeltas): Promise<void> {
  const h = held.get(trx);
  if (h) return h.add(deltas);
  await store.addHours(trx, deltas.hourRows());
  await store.addCounts(trx, deltas.countRows());
}

/** Writes what `trx` holds (hours rows even at 0: "a month with entries" stays true), and stops holding. */
export async function writeHeldRollups(trx: Knex): Promise<void> {
  const h = held.get(trx);
  if (!h) return;
  held.delete(trx);
  const hours: HoursDelta[] = [];
  for (const [k, centihours] of h.hours) {
    const p = h.parts[Math.floor(k / PREFIX)];
    hours.push({ programme_id: p.programme_id, dim: p.dim, key: p.key, month: monthOf1(k % PREFIX), centihours });
  }
  h.hours.clear();
  const counts: CountDelta[] = [];
  for (const [k, n] of h.counts) {
    if (n === 0) continue;
    const p = h.parts[Math.floor(k / PREFIX)];
    const link = k % PREFIX;
    const [month, prev] = [monthOf1(Math.floor(link / M)), monthOf1(link % M)];
    counts.push({
      programme_id: p.programme_id,
      dim: p.dim,
      entity: p.entity as 'p' | 'c',
      key: p.key,
      month,
      prev,
      n,
    });
  }
  h.counts.clear();
  await store.addHours(trx, hours);
  await store.addCounts(trx, counts);
}
