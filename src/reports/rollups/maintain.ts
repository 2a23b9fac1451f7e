import type { Knex } from 'knex';
import type { ContractFacts } from '../dimensions.js';
import { month1, RollupDeltas } from './deltas.js';
import * as store from './rollups.store.js';
import { addRollupDeltas, rollupDeltasOf } from './held.js';

// Incremental upkeep of the report rollups, called by src/hours/rollups.ts in the very
// transaction that appended the entries (through ./index.ts, the one entry point). See
// db/migrations/005_reports.ts for the tables.

export interface MonthChangeLike {
  contractId: number;
  month: string;
  delta: number;
  newTotal: number;
}

const byNumber = (a: number, b: number) => a - b;

/** Month codes of each contract from the store's sorted lists of `yyyy-MM` (same order). */
function monthArrays(lists: Map<number, string[]>): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const [id, list] of lists) out.set(id, list.map(month1));
  return out;
}

function groupByParticipant(members: ContractFacts[]): Map<number, ContractFacts[]> {
  const out = new Map<number, ContractFacts[]>();
  for (const m of members) {
    const list = out.get(m.participant_id);
    if (list) list.push(m);
    else out.set(m.participant_id, [m]);
  }
  return out;
}

export async function maintainReportRollups(trx: Knex, changes: MonthChangeLike[]): Promise<void> {
  if (!changes.length) return;
  // One (contract, month) may appear several times in a batch: keep its first and last totals.
  const net = new Map<number, { contractId: number; m1: number; before: number; after: number; delta: number }>();
  for (const ch of changes) {
    const m1 = month1(ch.month);
    const k = ch.contractId * 32_768 + m1;
    const seen = net.get(k);
    if (seen) {
      seen.after = ch.newTotal;
      seen.delta += ch.delta;
    } else
      net.set(k, {
        contractId: ch.contractId,
        m1,
        before: ch.newTotal - ch.delta,
        after: ch.newTotal,
        delta: ch.delta,
      });
  }
  const contractIds = [...new Set(changes.map((c) => c.contractId))];
  // Counts change only when a contract-month crosses zero (becomes positive or back to 0);
  // then every contract of those persons is read at once (the changed ones among them).
  let anyFlip = false;
  for (const ch of net.values()) if (ch.before > 0 !== ch.after > 0) anyFlip = true;
  const read = await store.contractFacts(trx, anyFlip ? { participantsOf: contractIds } : { ids: contractIds });
  const facts = new Map(read.map((f) => [f.id, f]));
  const deltas = rollupDeltasOf(trx);

  // Hours are additive: every dimension key of the contract gets the delta (rows are made
  // even for a zero delta, so "months with entries" stays true of the rollup).
  const flips: Array<{ contractId: number; m1: number; after: number }> = [];
  for (const ch of net.values()) {
    deltas.addHours(deltas.profileOf(facts.get(ch.contractId)!, 'h'), ch.m1, ch.delta);
    if (ch.before > 0 !== ch.after > 0) flips.push(ch);
  }
  net.clear();
  // The rollup rows are written last, hours then counts, after every read and the persons'
  // locks: on PostgreSQL their shared rows (a month's programme total) are then locked for
  // the shortest time, and always in one order (persons, hours, counts: no deadlock).
  if (!flips.length) {
    await addRollupDeltas(trx, deltas);
    return;
  }

  const participantIds = [...new Set(flips.map((f) => facts.get(f.contractId)!.participant_id))];
  await store.lockParticipants(trx, participantIds);
  const flipped = new Set(participantIds);
  const members = read.filter((m) => flipped.has(m.participant_id));
  const after = monthArrays(
    await store.positiveMonths(
      trx,
      members.map((m) => m.id),
    ),
  );
  // The months before this batch differ only for the contracts it flipped.
  const flipsOf = new Map<number, typeof flips>();
  for (const f of flips) {
    const list = flipsOf.get(f.contractId);
    if (list) list.push(f);
    else flipsOf.set(f.contractId, [f]);
  }
  const before = new Map<number, number[]>();
  for (const [id, fs] of flipsOf) {
    const set = new Set(after.get(id));
    for (const f of fs) {
      if (f.after > 0) set.delete(f.m1);
      else set.add(f.m1);
    }
    before.set(id, [...set].sort(byNumber));
  }
  const none: number[] = [];
  const monthsBefore = (id: number) => before.get(id) ?? after.get(id) ?? none;
  const monthsAfter = (id: number) => after.get(id) ?? none;

  for (const c of members)
    if (flipsOf.has(c.id)) deltas.addLinks(deltas.profileOf(c, 'c'), monthsBefore(c.id), monthsAfter(c.id));
  for (const group of groupByParticipant(members).values()) deltas.addParticipant(group, monthsBefore, monthsAfter);
  await addRollupDeltas(trx, deltas);
}

/** Adds (+1) or removes (-1) everything some participants contribute, with today's facts. */
async function applyParticipants(trx: Knex, participantIds: number[], sign: number): Promise<void> {
  const members = await store.contractFacts(trx, { participantIds });
  const totals = await store.monthTotals(
    trx,
    members.map((m) => m.id),
  );
  const byId = new Map(members.map((m) => [m.id, m]));
  const deltas = new RollupDeltas();
  const months = new Map<number, number[]>(members.map((m) => [m.id, []]));
  for (const t of totals) {
    const m1 = month1(t.month);
    deltas.addHours(deltas.profileOf(byId.get(t.contract_id)!, 'h'), m1, sign * t.centihours);
    if (t.centihours > 0) months.get(t.contract_id)!.push(m1);
  }
  for (const list of months.values()) list.sort(byNumber);
  const none: number[] = [];
  const beforeOf = (id: number) => (sign < 0 ? (months.get(id) ?? none) : none);
  const afterOf = (id: number) => (sign > 0 ? (months.get(id) ?? none) : none);
  for (const m of members) deltas.addLinks(deltas.profileOf(m, 'c'), beforeOf(m.id), afterOf(m.id));
  for (const group of groupByParticipant(members).values()) deltas.addParticipant(group, beforeOf, afterOf);
  await store.addHours(trx, deltas.hourRows());
  await store.addCounts(trx, deltas.countRows());
}

/**
 * Runs a change of the facts reports group by (a marché moved to another cité or
 * contractor, a cité to another EPCI or bailleur...) with the rollups kept exact: the
 * contributions of the participants of `marcheIds` are taken out before and put back after,
 * in the caller's transaction. Cheaper than `reports:rebuild`, which recomputes everything.
 */
export async function withRollupsRefreshed<T>(trx: Knex, marcheIds: number[], change: () => Promise<T>): Promise<T> {
  const ids = await store.participantsOfMarches(trx, marcheIds);
  await store.lockParticipants(trx, ids);
  await applyParticipants(trx, ids, -1);
  const out = await change();
  await applyParticipants(trx, ids, +1);
  return out;
}
