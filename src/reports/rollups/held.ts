import type { Knex } from 'knex';
import { RollupDeltas } from './deltas.js';
import * as store from './rollups.store.js';

// Rollup writes held until the end of a transaction: a CLI import's chunks add to the same
// rollup rows again and again (every month of every key reports group by), so their sums are
// written once, before the import commits, instead of once per chunk: at a million rows,
// 94 000 rows written once instead of more than 3 million upserts. Only writes are held: each
// chunk's upkeep still reads what it needs, and nothing reads the rollups inside the import.
// Every chunk adds to one RollupDeltas (sums per profile, by number: ./deltas.ts), folded
// into sums per rollup prefix from time to time and written as rows once, at the end.

const held = new WeakMap<object, RollupDeltas>();

/** From now on, the rollup writes of `trx` wait for `writeHeldRollups`. */
export function holdRollupWrites(trx: Knex): void {
  held.set(trx, new RollupDeltas());
}

/** Where an upkeep adds its deltas: what `trx` holds, or a new set written by `addRollupDeltas`. */
export const rollupDeltasOf = (trx: Knex): RollupDeltas => held.get(trx) ?? new RollupDeltas();

/** Writes an upkeep's deltas to the rollups now, unless `trx` holds them (then they wait). */
export async function addRollupDeltas(trx: Knex, deltas: RollupDeltas): Promise<void> {
  if (held.get(trx) !== deltas) return writeDeltas(trx, deltas);
  // Held: most contracts have a profile of their own (8 000 at a million rows), whose months
  // would all be kept to the end; folded into sums per rollup prefix now and then, memory
  // stays bounded by prefixes x months.
  if (deltas.unfolded > FOLD_PAST) deltas.fold();
}

const FOLD_PAST = 2_000;

async function writeDeltas(trx: Knex, deltas: RollupDeltas): Promise<void> {
  await store.addHours(trx, deltas.hourRows());
  await store.addCounts(trx, deltas.countRows());
}

/** Writes what `trx` holds (hours rows even at 0: "a month with entries" stays true), and stops holding. */
export async function writeHeldRollups(trx: Knex): Promise<void> {
  const deltas = held.get(trx);
  if (!deltas) return;
  held.delete(trx);
  await writeDeltas(trx, deltas);
}
