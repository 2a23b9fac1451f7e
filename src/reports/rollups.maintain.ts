import type { Knex } from 'knex';
import { DIMENSIONS, type ContractFacts } from './dimensions.js';
import * as store from './rollups.store.js';

// Incremental upkeep of the report rollups, called by src/hours/rollups.ts in the very
// transaction that appended the entries. See db/migrations/005_reports.ts for the tables.

export interface MonthChangeLike {
  contractId: number;
  month: string;
  delta: number;
  newTotal: number;
}

const SEP = '\u0000';

/** Links of a chain of months: each month with the one before it ('' for the first). */
function addChain(out: Map<string, number>, prefix: string, months: Iterable<string>, sign: number): void {
  let prev = '';
  for (const m of [...months].sort()) {
    const k = `${prefix}${SEP}${m}${SEP}${prev}`;
    out.set(k, (out.get(k) ?? 0) + sign);
    prev = m;
  }
}

/** Adds (sign +1) or removes (-1) the chains of one owner, for every dimension key. */
function addOwnerChains(
  out: Map<string, number>,
  entity: 'p' | 'c',
  members: ContractFacts[],
  months: Map<number, Set<string>>,
  sign: number,
): void {
  for (const dim of DIMENSIONS) {
    const byKey = new Map<string, Set<string>>();
    for (const c of members) {
      for (const key of dim.keys(c)) {
        const k = `${c.programme_id}${SEP}${dim.code}${SEP}${entity}${SEP}${key}`;
        const set = byKey.get(k) ?? new Set<string>();
        for (const m of months.get(c.id) ?? []) set.add(m);
        byKey.set(k, set);
      }
    }
    for (const [k, set] of byKey) addChain(out, k, set, sign);
  }
}

export async function maintainReportRollups(trx: Knex, changes: MonthChangeLike[]): Promise<void> {
  if (!changes.length) return;
  // One (contract, month) may appear several times in a batch: keep its first and last totals.
  const net = new Map<string, { contractId: number; month: string; before: number; after: number; delta: number }>();
  for (const ch of changes) {
    const k = `${ch.contractId}${SEP}${ch.month}`;
    const seen = net.get(k);
    if (seen) {
      seen.after = ch.newTotal;
      seen.delta += ch.delta;
    } else net.set(k, { contractId: ch.contractId, month: ch.month, before: ch.newTotal - ch.delta, after: ch.newTotal, delta: ch.delta });
  }
  const changed = [...net.values()];
  const facts = new Map((await store.contractFacts(trx, { ids: [...new Set(changed.map((c) => c.contractId))] })).map((f) => [f.id, f]));

  // Hours are additive: every dimension key of the contract gets the delta (rows are made
  // even for a zero delta, so "months with entries" stays true of the rollup).
  const hours = new Map<string, number>();
  for (const ch of changed) {
    const f = facts.get(ch.contractId)!;
    for (const dim of DIMENSIONS)
      for (const key of dim.keys(f)) {
        const k = [f.programme_id, dim.code, key, ch.month].join(SEP);
        hours.set(k, (hours.get(k) ?? 0) + ch.delta);
      }
  }
  await store.addHours(trx, [...hours].map(([k, centihours]) => {
    const [programme_id, dim, key, month] = k.split(SEP);
    return { programme_id: Number(programme_id), dim, key, month, centihours };
  }));

  // Counts change only when a contract-month crosses zero (becomes positive or back to 0).
  const flips = changed.filter((c) => c.before > 0 !== c.after > 0);
  if (!flips.length) return;
  const participantIds = [...new Set(flips.map((f) => facts.get(f.contractId)!.participant_id))];
  await store.lockParticipants(trx, participantIds);
  const members = await store.contractFacts(trx, { participantIds });
  const after = await store.positiveMonths(trx, members.map((m) => m.id));
  const before = new Map([...after].map(([id, set]) => [id, new Set(set)]));
  for (const f of flips) {
    const set = before.get(f.contractId)!;
    if (f.after > 0) set.delete(f.month);
    else set.add(f.month);
  }
  const links = new Map<string, number>();
  const flipped = new Set(flips.map((f) => f.contractId));
  for (const c of members.filter((m) => flipped.has(m.id))) {
    addOwnerChains(links, 'c', [c], before, -1);
    addOwnerChains(links, 'c', [c], after, +1);
  }
  const byParticipant = new Map<number, ContractFacts[]>();
  for (const m of members) byParticipant.set(m.participant_id, [...(byParticipant.get(m.participant_id) ?? []), m]);
  for (const group of byParticipant.values()) {
    addOwnerChains(links, 'p', group, before, -1);
    addOwnerChains(links, 'p', group, after, +1);
  }
  await store.addCounts(trx, [...links].filter(([, n]) => n !== 0).map(([k, n]) => {
    const [programme_id, dim, entity, key, month, prev] = k.split(SEP);
    return { programme_id: Number(programme_id), dim, entity: entity as 'p' | 'c', key, month, prev, n };
  }));
}
