import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { errors } from '../core/errors.js';
import { beforeCommit } from '../db/group-commit.js';
import { maintainReportRollups } from '../reports/rollups/index.js';
import {
  closedMonthViolation,
  monthOutsideContract,
  monthOutsideMarche,
  monthTotalViolation,
  type RuleViolation,
} from './ledger.rules.js';
import * as store from './ledger.store.js';
import { addToMonthTotals, type MonthTotalRow } from './month-totals.store.js';
import { closedCiteMonths } from './closed-months.store.js';
import type { MonthChange } from './rollups.js';
import { type KeyedEntry, writeKeyedEntries } from './keyed-entry.store.js';

// The one way hour entries are written, for the API (one entry) and the imports (chunks of
// thousands): every entry is checked against the same rules (docs/rules.md), the ledger and
// the contract-month totals are written, then the report rollups, all in the caller's
// transaction. Imports call `entryViolations` first too, to name each bad row of a file.

/** What the rules need of a contract: its dates, its marché's, its cité (for closed months). */
export interface LedgerContract {
  id: number;
  ref: string;
  cite_id: number;
  start_date: string;
  end_date: string;
  marche: { ref: string; start_date: string; end_date: string };
  /** A month whose closing was read with the contract (`findLedgerContract`), and the answer. */
  checkedMonth?: { month: string; closed: boolean };
}

export const ledgerContract = (r: store.LedgerContractRow, checkedMonth?: string): LedgerContract => ({
  id: r.id,
  ref: r.ref,
  cite_id: r.cite_id,
  start_date: r.start_date,
  end_date: r.end_date,
  marche: { ref: r.marche_ref, start_date: r.marche_start_date, end_date: r.marche_end_date },
  ...(checkedMonth !== undefined && r.month_closed !== undefined
    ? { checkedMonth: { month: checkedMonth, closed: Boolean(r.month_closed) } }
    : {}),
});

export interface NewEntry {
  contract: LedgerContract;
  month: string;
  centihours: number; // signed difference
  kind: store.EntryKind;
  correctsId?: number | null;
  reason?: string | null;
  idempotencyKey?: string | null;
  requestHash?: string | null;
  /**
   * The contract-month's total after this entry, when the caller read the total under lock in
   * this very transaction (an import's plan): the totals are then added without being read
   * back. Given for every entry of a call, or for none.
   */
  totalAfter?: number;
  postedBy: number | null;
  importId?: number | null;
  at: string;
}

export interface Appended {
  /** Ids of the entries that carried an idempotency key, in their order. */
  keyedIds: number[];
  /** Each contract-month written, with its new total. */
  changes: MonthChange[];
}

/**
 * The rules that do not depend on totals, for each entry: the month within the contract's
 * and the marché's dates, and not closed for the cité's structure (one query for all; none
 * when the contract was read with that month's closing, as for an hour entry of the API).
 */
export async function entryViolations(
  db: Knex,
  entries: ReadonlyArray<{ contract: LedgerContract; month: string }>,
): Promise<Array<RuleViolation | null>> {
  const known = (e: { contract: LedgerContract; month: string }) => e.contract.checkedMonth?.month === e.month;
  const out: Array<RuleViolation | null> = new Array(entries.length);
  const cites = new Set<number>();
  const months = new Set<string>();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    out[i] = monthOutsideContract(e.contract, e.month) ?? monthOutsideMarche(e.contract.marche, e.month);
    if (!known(e)) {
      cites.add(e.contract.cite_id);
      months.add(e.month);
    }
  }
  // Closed months are rare: an import's entries only look one up when the query found some.
  const closed = cites.size ? await closedCiteMonths(db, [...cites], [...months]) : new Set<string>();
  entries.forEach((e, i) => {
    const isClosed = known(e)
      ? e.contract.checkedMonth?.closed
      : closed.size > 0 && closed.has(`${e.contract.cite_id}|${e.month}`);
    if (!out[i] && isClosed) out[i] = closedMonthViolation(e.month);
  });
  return out;
}

const raise = (v: RuleViolation): never => {
  throw errors.ledgerRule(v.code, v.message);
};

/** The stored row of an entry but its contract. */
const rowWithoutContract = (e: Omit<NewEntry, 'contract'>): KeyedEntry => ({
  month: e.month,
  centihours: e.centihours,
  kind: e.kind,
  corrects_id: e.correctsId ?? null,
  reason: e.reason ?? null,
  idempotency_key: e.idempotencyKey ?? null,
  request_hash: e.requestHash ?? null,
  posted_by: e.postedBy,
  import_id: e.importId ?? null,
  created_at: e.at,
});

/** The stored row of an entry (also what the API answers for a new entry, with its id). */
export const entryRowOf = (e: NewEntry): store.NewEntryRow => ({
  contract_id: e.contract.id,
  ...rowWithoutContract(e),
});

export interface Written {
  entry: NewEntry;
  id: number;
  /** The contract-month's total with the entry. */
  total: number;
}

/**
 * Appends one entry of the API under its idempotency key, in the caller's transaction (see
 * `appendKeyedEntries`). Returns null, having written nothing, when the key is already used
 * (a replay).
 */
export async function appendKeyedEntry(trx: Knex, r: KeyedRequest): Promise<Written | null> {
  return (await appendKeyedEntries(trx, [r]))[0];
}

/** An entry of the API: its contract's ref, the caller's scope, what runs once it is written (the audit). */
export interface KeyedRequest {
  ref: string;
  scope: { structureId?: number };
  entry: Omit<NewEntry, 'contract'>;
  beforeRollups?: (trx: Knex, w: Written) => Promise<void>;
}

/**
 * Appends entries of the API under their idempotency keys, in the caller's transaction: the
 * contracts (by ref, in the caller's scope) are found and the entries and their month totals
 * written in one go (./keyed-entry.store.ts: one statement on PostgreSQL, for a whole group
 * of the group commit), then the rules of `appendEntries` are checked on what was written.
 * All or nothing: a missing contract (404) or a broken rule throws, and the caller's
 * transaction writes nothing (a group then runs its entries one by one, each getting its own
 * answer). Each result is taken in order (a month total is the one after that entry), null
 * when its key was already used (a replay, nothing written). Keys must differ.
 */
export async function appendKeyedEntries(trx: Knex, requests: KeyedRequest[]): Promise<Array<Written | null>> {
  if (new Set(requests.map((r) => r.entry.idempotencyKey)).size < requests.length)
    throw new Error('Deux saisies d’un lot portent la même clé.'); // twins: run one by one, the second a replay
  const ws = await writeKeyedEntries(
    trx,
    requests.map((r) => ({ ref: r.ref, scope: r.scope, entry: rowWithoutContract(r.entry) })),
  );
  // The total before the batch of each contract-month written: its final total less the batch's entries.
  const running = new Map<string, number>();
  ws.forEach((w, i) => {
    if (!w.contract) throw errors.notFound('contract', requests[i].ref);
    const k = `${w.contract.id}|${requests[i].entry.month}`;
    if (w.id !== null) running.set(k, (running.get(k) ?? w.total) - requests[i].entry.centihours);
  });
  const out: Array<Written | null> = [];
  const changes: MonthChange[] = [];
  for (const [i, w] of ws.entries()) {
    const { entry: e, beforeRollups } = requests[i];
    if (!w.contract || w.id === null) {
      out.push(null);
      continue;
    }
    const k = `${w.contract.id}|${e.month}`;
    const total = (running.get(k) ?? 0) + e.centihours;
    running.set(k, total);
    const written = { entry: { ...e, contract: ledgerContract(w.contract, e.month) }, id: w.id, total };
    const [v] = await entryViolations(trx, [written.entry]);
    const bad = v ?? monthTotalViolation(w.contract.ref, e.month, total);
    if (bad) raise(bad);
    await beforeRollups?.(trx, written);
    changes.push({ contractId: w.contract.id, month: e.month, delta: e.centihours, newTotal: total });
    out.push(written);
  }
  await beforeCommit(trx, maintainReportRollups, changes);
  return out;
}

/**
 * Appends entries inside the caller's transaction after checking every rule; a broken rule
 * throws (the caller's transaction then writes nothing). Returns null, having written
 * nothing else, when an entry's idempotency key is already used (a replay: keyed entries
 * are written first). `beforeRollups` runs once the ledger and totals are written (the
 * audit): the rollups come last, since their shared rows (a month's programme total) are
 * what concurrent writers wait for, until the commit.
 */
export async function appendEntries(
  trx: Knex,
  entries: NewEntry[],
  beforeRollups?: (a: Appended) => Promise<void>,
): Promise<Appended | null> {
  const keyedIds: number[] = [];
  const plain: store.NewEntryRow[] = [];
  for (const e of entries) {
    if (!e.idempotencyKey) {
      plain.push(entryRowOf(e));
      continue;
    }
    const id = await store.insertKeyedEntry(trx, entryRowOf(e));
    if (id === null) return null;
    keyedIds.push(id);
  }
  const bad = (await entryViolations(trx, entries)).find((v) => v !== null);
  if (bad) raise(bad);
  await store.insertEntries(trx, plain);

  // By contract then month: no key string for each of an import's entries.
  const deltas = new Map<number, Map<string, MonthTotalRow & { after: number }>>();
  const refs = new Map<number, string>();
  const all: Array<MonthTotalRow & { after: number }> = [];
  for (const e of entries) {
    let ofContract = deltas.get(e.contract.id);
    if (!ofContract) {
      deltas.set(e.contract.id, (ofContract = new Map()));
      refs.set(e.contract.id, e.contract.ref);
    }
    const d = ofContract.get(e.month);
    if (d) {
      d.centihours += e.centihours;
      d.after = e.totalAfter ?? 0;
    } else {
      const row = { contract_id: e.contract.id, month: e.month, centihours: e.centihours, after: e.totalAfter ?? 0 };
      ofContract.set(e.month, row);
      all.push(row);
    }
  }
  const changes: MonthChange[] = [];
  const record = (contractId: number, month: string, delta: number, total: number) => {
    const v = monthTotalViolation(refs.get(contractId) ?? '', month, total);
    if (v) raise(v);
    changes.push({ contractId, month, delta, newTotal: total });
  };
  if (entries.length && entries[0].totalAfter !== undefined) {
    // Totals known (an import): written without RETURNING, a third of the time at a million rows.
    await addToMonthTotals(trx, all, { readBack: false });
    for (const r of all) record(r.contract_id, r.month, r.centihours, r.after);
  } else
    for (const t of await addToMonthTotals(trx, all))
      record(t.contract_id, t.month, deltas.get(t.contract_id)?.get(t.month)?.centihours ?? 0, t.centihours);
  const appended = { keyedIds, changes };
  await beforeRollups?.(appended);
  // In a group transaction (src/db/group-commit.ts), once for the whole group.
  await beforeCommit(trx, maintainReportRollups, changes);
  return appended;
}

/** A stable hash of what a request asked for, to tell a replay from a key reuse. */
export const requestHash = (parts: unknown): string =>
  crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex');
