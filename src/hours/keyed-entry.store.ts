import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';
import { queryRow, queryRows, type SqlValue } from '../db/sql.js';
import { closedFor } from './closed-months.store.js';
import {
  addToMonthTotals,
  CONTRACT_COLUMNS,
  CONTRACT_FROM,
  inStructure,
  contractLookup,
  contractRow,
  ENTRY_COLUMNS,
  entryValues,
  findLedgerContract,
  insertKeyedEntry,
  type LedgerContractRow,
  type NewEntryRow,
} from './ledger.store.js';

// The write of one hour entry of the API: find the contract (in the caller's scope, with the
// month's closing), insert the entry under its idempotency key, add it to the contract-month
// total. Three statements on SQLite, where a statement costs no round trip; on PostgreSQL one
// statement with data-modifying CTEs, since each round trip there costs more than the work
// (a system call on each side and a wake-up of the server). The rules are checked by the
// caller on what this returns, in the same transaction: a broken rule rolls it back.

export interface KeyedWrite {
  /** The contract, or undefined when it does not exist for the caller (nothing written). */
  contract?: LedgerContractRow;
  /** The new entry's id, or null when the key was already taken (nothing written). */
  id: number | null;
  /** The contract-month's new total (0 when nothing was written). */
  total: number;
}

export type KeyedEntry = Omit<NewEntryRow, 'contract_id'>;

// Types of the inserted values: in INSERT ... SELECT, PostgreSQL does not infer them.
const PG_TYPES: Record<(typeof ENTRY_COLUMNS)[number], string> = {
  contract_id: 'integer',
  month: 'text',
  centihours: 'integer',
  kind: 'text',
  corrects_id: 'integer',
  reason: 'text',
  idempotency_key: 'text',
  request_hash: 'text',
  posted_by: 'integer',
  import_id: 'integer',
  created_at: 'text',
};
const VALUE_COLUMNS = ENTRY_COLUMNS.filter((c) => c !== 'contract_id');

export async function writeKeyedEntry(
  db: Knex,
  ref: string,
  scope: { structureId?: number },
  entry: KeyedEntry,
): Promise<KeyedWrite> {
  const lookup = { structureId: scope.structureId, closedMonth: entry.month };
  if (!isPostgres(db)) {
    const contract = await findLedgerContract(db, { ref }, lookup);
    if (!contract) return { id: null, total: 0 };
    const id = await insertKeyedEntry(db, { ...entry, contract_id: contract.id });
    if (id === null) return { contract, id, total: 0 };
    const [t] = await addToMonthTotals(db, [
      { contract_id: contract.id, month: entry.month, centihours: entry.centihours },
    ]);
    return { contract, id, total: t.centihours };
  }
  const c = contractLookup({ ref }, lookup);
  const row: NewEntryRow = { ...entry, contract_id: 0 };
  const values = entryValues(row).slice(1); // without contract_id, taken from the lookup
  const sql = `with c as (${c.sql}),
    e as (insert into hour_entries (${ENTRY_COLUMNS.join(', ')})
      select c.id, ${VALUE_COLUMNS.map((col) => `?::${PG_TYPES[col]}`).join(', ')} from c
      on conflict (idempotency_key) do nothing
      returning id, contract_id, month, centihours),
    t as (insert into contract_months (contract_id, month, centihours)
      select contract_id, month, centihours from e
      on conflict (contract_id, month) do update set centihours = contract_months.centihours + excluded.centihours
      returning centihours)
    select c.*, (select id from e) as entry_id, (select centihours from t) as month_total from c`;
  const params: SqlValue[] = [...c.params, ...values];
  const r = await queryRow<LedgerContractRow & { entry_id: number | null; month_total: number | null }>(
    db,
    sql,
    params,
  );
  if (!r) return { id: null, total: 0 };
  const { entry_id, month_total, ...contract } = r;
  return {
    contract: contractRow(contract),
    id: entry_id == null ? null : Number(entry_id),
    total: Number(month_total ?? 0),
  };
}

export interface KeyedItem {
  ref: string;
  scope: { structureId?: number };
  entry: KeyedEntry;
}

const ITEM_TYPES = ['integer', 'text', 'integer', ...VALUE_COLUMNS.map((c) => PG_TYPES[c])];

/**
 * PostgreSQL only: the writes of many API entries (a group, ../db/group-commit.ts) in one
 * statement. Each item gets what `writeKeyedEntry` gives, but `total` is its contract-month's
 * total after the whole batch. Keys must differ. Totals are locked in key order, as the
 * rollups are (no deadlock between two writers of several rows).
 */
export async function writeKeyedEntries(db: Knex, items: KeyedItem[]): Promise<KeyedWrite[]> {
  const params: SqlValue[] = [];
  items.forEach((it, i) => {
    params.push(i, it.ref, it.scope.structureId ?? null);
    params.push(...entryValues({ ...it.entry, contract_id: 0 }).slice(1));
  });
  const row = `(${ITEM_TYPES.map((t) => `?::${t}`).join(', ')})`;
  const rows = items.map(() => row).join(', ');
  const sql = `with v (i, ref, structure_id, ${VALUE_COLUMNS.join(', ')}) as (values ${rows}),
    c as (select v.i as item, ${CONTRACT_COLUMNS}, ${closedFor('m.cite_id', 'v.month')} as month_closed
      from v join ${CONTRACT_FROM} on c.ref = v.ref
      where v.structure_id is null or ${inStructure('v.structure_id')}),
    e as (insert into hour_entries (${ENTRY_COLUMNS.join(', ')})
      select c.id, ${VALUE_COLUMNS.map((col) => `v.${col}`).join(', ')} from v join c on c.item = v.i order by v.i
      on conflict (idempotency_key) do nothing
      returning id, idempotency_key),
    t as (insert into contract_months (contract_id, month, centihours)
      select c.id, v.month, sum(v.centihours) from v join c on c.item = v.i
        join e on e.idempotency_key = v.idempotency_key
      group by c.id, v.month order by c.id, v.month
      on conflict (contract_id, month) do update set centihours = contract_months.centihours + excluded.centihours
      returning contract_id, month, centihours)
    select c.*, e.id as entry_id, t.centihours as month_total from v
      left join c on c.item = v.i
      left join e on e.idempotency_key = v.idempotency_key
      left join t on t.contract_id = c.id and t.month = v.month
      order by v.i`;
  const found = await queryRows<
    LedgerContractRow & { item: number | null; entry_id: number | null; month_total: number | null }
  >(db, sql, params);
  return found.map(({ item, entry_id, month_total, ...contract }) =>
    item == null
      ? { id: null, total: 0 }
      : {
          contract: contractRow(contract),
          id: entry_id == null ? null : Number(entry_id),
          total: Number(month_total ?? 0),
        },
  );
}
