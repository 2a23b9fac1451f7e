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

// Links are kept in nested maps (prefix -> "month SEP prev" -> n) with the prefixes of each
// contract built once: an import of a million contract-months stays in seconds.
type Links = Map<string, Map<string, number>>;

function bump(links: Links, prefix: string, k: string, by: number): void {
  let inner = links.get(prefix);
  if (!inner) links.set(prefix, (inner = new Map()));
  inner.set(k, (inner.get(k) ?? 0) + by);
}

/** Adds (sign +1) or removes (-1) the links of a chain of sorted months, under each prefix. */
function addChain(links: Links, prefixes: string[], sorted: string[], sign: number): void {
  if (!sorted.length) return;
  const keys = sorted.map((m, i) => m + SEP + (i ? sorted[i - 1] : ''));
  for (const prefix of prefixes) {
    let inner = links.get(prefix);
    if (!inner) links.set(prefix, (inner = new Map()));
    for (const k of keys) inner.set(k, (inner.get(k) ?? 0) + sign);
  }
}

/** The rollup prefixes (programme, dimension, entity, key) of a contract, all dimensions. */
function prefixesOf(f: ContractFacts, entity: string): string[] {
  const out: string[] = [];
  for (const dim of DIMENSIONS) for (const key of dim.keys(f)) out.push(`${f.programme_id}${SEP}${dim.code}${SEP}${entity}${SEP}${key}`);
  return out;
}

/** Chains of one participant: for each prefix, the union of the months of its contracts. */
function addParticipantChains(links: Links, members: ContractFacts[], months: (id: number) => string[], sign: number): void {
  if (members.length === 1) {
    addChain(links, prefixesOf(members[0], 'p'), months(members[0].id), sign);
    return;
  }
  const union = new Map<string, Set<string>>();
  for (const c of members) {
    const ms = months(c.id);
    if (!ms.length) continue;
    for (const prefix of prefixesOf(c, 'p')) {
      let set = union.get(prefix);
      if (!set) union.set(prefix, (set = new Set()));
      for (const m of ms) set.add(m);
    }
  }
  for (const [prefix, set] of union) addChain(links, [prefix], [...set].sort(), sign);
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
  const hourPrefixes = new Map<number, string[]>();
  const hours: Links = new Map();
  for (const ch of changed) {
    let prefixes = hourPrefixes.get(ch.contractId);
    if (!prefixes) hourPrefixes.set(ch.contractId, (prefixes = prefixesOf(facts.get(ch.contractId)!, 'h')));
    for (const prefix of prefixes) bump(hours, prefix, ch.month, ch.delta);
  }
  const hourRows: store.HoursDelta[] = [];
  for (const [prefix, byMonth] of hours) {
    const [programme_id, dim, , key] = prefix.split(SEP);
    for (const [month, centihours] of byMonth) hourRows.push({ programme_id: Number(programme_id), dim, key, month, centihours });
  }
  await store.addHours(trx, hourRows);

  // Counts change only when a contract-month crosses zero (becomes positive or back to 0).
  const flips = changed.filter((c) => c.before > 0 !== c.after > 0);
  if (!flips.length) return;
  const participantIds = [...new Set(flips.map((f) => facts.get(f.contractId)!.participant_id))];
  await store.lockParticipants(trx, participantIds);
  const members = await store.contractFacts(trx, { participantIds });
  const afterSets = await store.positiveMonths(trx, members.map((m) => m.id));
  const after = new Map([...afterSets].map(([id, set]) => [id, [...set].sort()]));
  // The months before this batch differ only for the contracts it flipped.
  const flipsOf = new Map<number, typeof flips>();
  for (const f of flips) {
    const list = flipsOf.get(f.contractId);
    if (list) list.push(f);
    else flipsOf.set(f.contractId, [f]);
  }
  const before = new Map<number, string[]>();
  for (const [id, fs] of flipsOf) {
    const set = new Set(after.get(id));
    for (const f of fs) {
      if (f.after > 0) set.delete(f.month);
      else set.add(f.month);
    }
    before.set(id, [...set].sort());
  }
  const monthsBefore = (id: number) => before.get(id) ?? after.get(id) ?? [];
  const monthsAfter = (id: number) => after.get(id) ?? [];

  const links: Links = new Map();
  for (const c of members) {
    if (!flipsOf.has(c.id)) continue;
    const prefixes = prefixesOf(c, 'c');
    addChain(links, prefixes, monthsBefore(c.id), -1);
    addChain(links, prefixes, monthsAfter(c.id), +1);
  }
  const byParticipant = new Map<number, ContractFacts[]>();
  for (const m of members) {
    const list = byParticipant.get(m.participant_id);
    if (list) list.push(m);
    else byParticipant.set(m.participant_id, [m]);
  }
  for (const group of byParticipant.values()) {
    addParticipantChains(links, group, monthsBefore, -1);
    addParticipantChains(links, group, monthsAfter, +1);
  }
  const countRows: store.CountDelta[] = [];
  for (const [prefix, inner] of links) {
    const [programme_id, dim, entity, key] = prefix.split(SEP);
    for (const [k, n] of inner) {
      if (n === 0) continue;
      const [month, prev] = k.split(SEP);
      countRows.push({ programme_id: Number(programme_id), dim, entity: entity as 'p' | 'c', key, month, prev, n });
    }
  }
  await store.addCounts(trx, countRows);
}

/** Adds (+1) or removes (-1) everything some participants contribute, with today's facts. */
async function applyParticipants(trx: Knex, participantIds: number[], sign: number): Promise<void> {
  const members = await store.contractFacts(trx, { participantIds });
  const totals = await store.monthTotals(trx, members.map((m) => m.id));
  const byId = new Map(members.map((m) => [m.id, m]));
  const hours: Links = new Map();
  const months = new Map<number, string[]>(members.map((m) => [m.id, []]));
  for (const t of totals) {
    for (const prefix of prefixesOf(byId.get(t.contract_id)!, 'h')) bump(hours, prefix, t.month, sign * t.centihours);
    if (t.centihours > 0) months.get(t.contract_id)!.push(t.month);
  }
  for (const list of months.values()) list.sort();
  const links: Links = new Map();
  const byParticipant = new Map<number, ContractFacts[]>();
  for (const m of members) {
    addChain(links, prefixesOf(m, 'c'), months.get(m.id)!, sign);
    byParticipant.set(m.participant_id, [...(byParticipant.get(m.participant_id) ?? []), m]);
  }
  for (const group of byParticipant.values()) addParticipantChains(links, group, (id) => months.get(id) ?? [], sign);
  await store.addHours(trx, [...hours].flatMap(([prefix, byMonth]) => {
    const [programme_id, dim, , key] = prefix.split(SEP);
    return [...byMonth].map(([month, centihours]) => ({ programme_id: Number(programme_id), dim, key, month, centihours }));
  }));
  await store.addCounts(trx, [...links].flatMap(([prefix, inner]) => {
    const [programme_id, dim, entity, key] = prefix.split(SEP);
    return [...inner].filter(([, n]) => n !== 0).map(([k, n]) => {
      const [month, prev] = k.split(SEP);
      return { programme_id: Number(programme_id), dim, entity: entity as 'p' | 'c', key, month, prev, n };
    });
  }));
}

/**
 * Runs a change of the facts reports group by (a marché moved to another cité or
 * contractor, a cité to another EPCI or bailleur...) with the rollups kept exact: the
 * contributions of the participants of `marcheIds` are taken out before and put back after,
 * in the caller's transaction. Cheaper than `reports:rebuild`, which recomputes everything.
 */
export async function withRollupsRefreshed<T>(trx: Knex, marcheIds: number[], change: () => Promise<T>): Promise<T> {
  const participantIds: number[] = [];
  for (let i = 0; i < marcheIds.length; i += 400) {
    const rows = await trx('contracts').whereIn('marche_id', marcheIds.slice(i, i + 400)).distinct('participant_id');
    participantIds.push(...rows.map((r: any) => Number(r.participant_id)));
  }
  const ids = [...new Set(participantIds)];
  await store.lockParticipants(trx, ids);
  await applyParticipants(trx, ids, -1);
  const out = await change();
  await applyParticipants(trx, ids, +1);
  return out;
}
