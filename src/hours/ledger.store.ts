import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';
import { insertFlat } from '../db/bulk.js';
import { queryRow, queryRows, type SqlValue } from '../db/sql.js';
import { closedFor } from './closed-months.store.js';

// SQL of the ledger. There is no UPDATE or DELETE of hour_entries here or anywhere:
// the table is append-only (and triggers in the database refuse both). The statements of
// the write path are plain SQL, prepared once per connection on SQLite (src/db/sql.ts).

export type EntryKind = 'entry' | 'correction';

/** A row of hour_entries. */
export interface HourEntryRow {
  id: number;
  contract_id: number;
  month: string;
  centihours: number;
  kind: EntryKind;
  corrects_id: number | null;
  reason: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  posted_by: number | null;
  import_id: number | null;
  created_at: string;
}
export type NewEntryRow = Omit<HourEntryRow, 'id'>;

/** What the ledger needs of a contract: its dates, its marché's dates, its cité. */
export interface LedgerContractRow {
  id: number;
  ref: string;
  participant_id: number;
  cite_id: number;
  start_date: string;
  end_date: string;
  marche_ref: string;
  marche_start_date: string;
  marche_end_date: string;
  /** With `closedMonth` asked: 1 when that month is closed for the contract's cité, else 0. */
  month_closed?: number | boolean;
}

const num = (v: unknown) => Number(v);
const entryRow = (r: HourEntryRow): HourEntryRow => ({
  ...r,
  id: num(r.id),
  contract_id: num(r.contract_id),
  centihours: num(r.centihours),
  corrects_id: r.corrects_id == null ? null : num(r.corrects_id),
  posted_by: r.posted_by == null ? null : num(r.posted_by),
  import_id: r.import_id == null ? null : num(r.import_id),
});

export const CONTRACT_COLUMNS = `c.id, c.ref, c.participant_id, m.cite_id, c.start_date, c.end_date,
  m.ref as marche_ref, m.start_date as marche_start_date, m.end_date as marche_end_date`;
export const CONTRACT_FROM = 'contracts c join marches m on m.id = c.marche_id';
// A facilitator writes on the cités of its structure's EPCIs (`structure`: an SQL expression).
export const inStructure = (structure = '?') => `exists (select 1 from cites ci
  join structure_epcis se on se.epci_id = ci.epci_id where ci.id = m.cite_id and se.structure_id = ${structure})`;

export const contractRow = (r: LedgerContractRow | undefined): LedgerContractRow | undefined =>
  r && {
    ...r,
    id: num(r.id),
    participant_id: num(r.participant_id),
    cite_id: num(r.cite_id),
    ...(r.month_closed === undefined ? {} : { month_closed: Number(r.month_closed) }),
  };

/**
 * A contract by ref or id; with `structureId`, only if its cité is in that structure's scope;
 * with `closedMonth`, whether that month is closed for its cité (read in the same statement:
 * one round trip fewer for an hour entry).
 */
export async function findLedgerContract(
  db: Knex,
  by: { ref: string } | { id: number },
  opts: { structureId?: number; closedMonth?: string } = {},
): Promise<LedgerContractRow | undefined> {
  const [where, value] = 'ref' in by ? ['c.ref = ?', by.ref] : ['c.id = ?', by.id];
  const columns = opts.closedMonth === undefined ? '' : `, ${closedFor('m.cite_id')} as month_closed`;
  const params: SqlValue[] = opts.closedMonth === undefined ? [] : [opts.closedMonth];
  let sql = `select ${CONTRACT_COLUMNS}${columns} from ${CONTRACT_FROM} where ${where}`;
  params.push(value);
  if (opts.structureId !== undefined) {
    sql += ` and ${inStructure()}`;
    params.push(opts.structureId);
  }
  return contractRow(await queryRow<LedgerContractRow>(db, sql, params));
}

/** Locks a contract-month's total (PostgreSQL) until the transaction ends, when it exists. */
export async function lockMonth(db: Knex, contractId: number, month: string): Promise<void> {
  if (!isPostgres(db)) return; // SQLite transactions are serialised
  await queryRows(db, 'select 1 from contract_months where contract_id = ? and month = ? for update', [
    contractId,
    month,
  ]);
}

export async function findEntryByKey(db: Knex, key: string): Promise<HourEntryRow | undefined> {
  const r = await queryRow<HourEntryRow>(db, 'select * from hour_entries where idempotency_key = ?', [key]);
  return r && entryRow(r);
}

export async function findEntryById(db: Knex, id: number): Promise<HourEntryRow | undefined> {
  const r = await queryRow<HourEntryRow>(db, 'select * from hour_entries where id = ?', [id]);
  return r && entryRow(r);
}

export const ENTRY_COLUMNS = [
  'contract_id',
  'month',
  'centihours',
  'kind',
  'corrects_id',
  'reason',
  'idempotency_key',
  'request_hash',
  'posted_by',
  'import_id',
  'created_at',
] as const;
/** Writes the values of an entry in ENTRY_COLUMNS order at `out[at...]` (by name: an import writes millions). */
function setEntryValues(out: SqlValue[], at: number, e: NewEntryRow): void {
  out[at] = e.contract_id;
  out[at + 1] = e.month;
  out[at + 2] = e.centihours;
  out[at + 3] = e.kind;
  out[at + 4] = e.corrects_id;
  out[at + 5] = e.reason;
  out[at + 6] = e.idempotency_key;
  out[at + 7] = e.request_hash;
  out[at + 8] = e.posted_by;
  out[at + 9] = e.import_id;
  out[at + 10] = e.created_at;
}
export const entryValues = (e: NewEntryRow): SqlValue[] => {
  const out = new Array<SqlValue>(ENTRY_COLUMNS.length);
  setEntryValues(out, 0, e);
  return out;
};
const ENTRY_HEAD = `insert into hour_entries (${ENTRY_COLUMNS.join(', ')})`;

/**
 * Inserts an entry that carries an idempotency key, unless the key is already used: the
 * check and the insert are one statement (and the unique index settles concurrent ones).
 * Returns the new id, or null when the key was taken.
 */
export async function insertKeyedEntry(db: Knex, e: NewEntryRow): Promise<number | null> {
  const r = await queryRow<{ id: number }>(
    db,
    `${ENTRY_HEAD} values (${ENTRY_COLUMNS.map(() => '?').join(', ')}) on conflict (idempotency_key) do nothing ` +
      `returning id`,
    entryValues(e),
  );
  return r ? num(r.id) : null;
}

/** Inserts entries without keys (imports), 2 500 rows a statement (under both engines' bind limits). */
export async function insertEntries(db: Knex, entries: NewEntryRow[]): Promise<void> {
  const values = new Array<SqlValue>(entries.length * ENTRY_COLUMNS.length);
  for (let i = 0; i < entries.length; i++) setEntryValues(values, i * ENTRY_COLUMNS.length, entries[i]);
  await insertFlat(db, { head: ENTRY_HEAD, columns: ENTRY_COLUMNS.length }, values, 2500);
}

export async function entriesOfContract(db: Knex, contractId: number): Promise<HourEntryRow[]> {
  return (
    await queryRows<HourEntryRow>(db, 'select * from hour_entries where contract_id = ? order by id', [contractId])
  ).map(entryRow);
}

/**
 * A line's value: its own amount plus the values of the corrections that refer to it, and
 * so on down (docs/rules.md, "Corrections"). Corrections stay in their line's contract-month,
 * which the index of that pair narrows the search to.
 */
export async function lineValue(db: Knex, entry: Pick<HourEntryRow, 'id' | 'contract_id' | 'month'>): Promise<number> {
  const r = await queryRow<{ total: number | null }>(
    db,
    `with recursive tree (id, centihours) as (
       select id, centihours from hour_entries where id = ?
       union all
       select h.id, h.centihours from hour_entries h join tree t on h.corrects_id = t.id
        where h.contract_id = ? and h.month = ?
     ) select sum(centihours) as total from tree`,
    [entry.id, entry.contract_id, entry.month],
  );
  return num(r?.total ?? 0);
}

/** A contract of a marché that new marché dates would leave partly outside. */
export interface ContractOutsideMarche {
  ref: string;
  start_date: string;
  end_date: string;
  /** Months outside the new dates where the contract has hours (total not 0), sorted. */
  months_with_hours: string[];
}

/**
 * The contracts of a marché whose dates, or whose hours, would fall outside new marché dates
 * (an avenant): what changing them must re-check and name. Ordered by contract ref.
 */
export async function contractsOutsideMarche(
  db: Knex,
  marcheId: number,
  dates: { start_date: string; end_date: string },
): Promise<ContractOutsideMarche[]> {
  const from = dates.start_date.slice(0, 7);
  const to = dates.end_date.slice(0, 7);
  const contracts = await queryRows<{ id: number; ref: string; start_date: string; end_date: string }>(
    db,
    'select id, ref, start_date, end_date from contracts where marche_id = ? order by ref',
    [marcheId],
  );
  const months = await queryRows<{ contract_id: number; month: string }>(
    db,
    `select cm.contract_id, cm.month from contract_months cm join contracts c on c.id = cm.contract_id
      where c.marche_id = ? and cm.centihours <> 0 and (cm.month < ? or cm.month > ?) order by cm.month`,
    [marcheId, from, to],
  );
  const byContract = new Map<number, string[]>();
  for (const m of months) {
    const id = num(m.contract_id);
    const list = byContract.get(id);
    if (list) list.push(m.month);
    else byContract.set(id, [m.month]);
  }
  return contracts
    .filter((c) => c.start_date < dates.start_date || c.end_date > dates.end_date || byContract.has(num(c.id)))
    .map((c) => ({
      ref: c.ref,
      start_date: c.start_date,
      end_date: c.end_date,
      months_with_hours: byContract.get(num(c.id)) ?? [],
    }));
}

/** The first entry of a contract-month (what a correction of its total points at), if any. */
export async function firstEntryOfMonth(db: Knex, contractId: number, month: string): Promise<number | null> {
  const r = await db('hour_entries').where({ contract_id: contractId, month }).min({ id: 'id' }).first();
  return r?.id == null ? null : Number(r.id);
}
