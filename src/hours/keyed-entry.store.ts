import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';
import { queryRows, type SqlValue } from '../db/sql.js';
import { closedFor } from './closed-months.store.js';
import { addToMonthTotals } from './month-totals.store.js';
import {
  CONTRACT_COLUMNS,
  CONTRACT_FROM,
  inStructure,
  contractRow,
  ENTRY_COLUMNS,
  entryValues,
  findLedgerContract,
  insertKeyedEntry,
  type LedgerContractRow,
  type NewEntryRow,
} from './ledger.store.js';

// The write of hour entries of the API, one or a group of them (../db/group-commit.ts): find
// each contract (in the caller's scope, with the month's closing), insert the entry under its
// idempotency key, add it to the contract-month total. On SQLite, where a statement costs no
// round trip, three statements an entry; on PostgreSQL one statement with data-modifying CTEs
// for them all, since each round trip there costs more than the work (a system call on each
// side and a wake-up of the server). The rules are checked by the caller on what this
// returns, in the same transaction: a broken rule rolls it back.

export interface KeyedWrite {
  /** The contract, or undefined when it does not exist for the caller (nothing written). */
  contract?: LedgerContractRow;
  /** The new entry's id, or null when the key was already taken (nothing written). */
  id: number | null;
  /** The contract-month's total after every entry written (0 when nothing was written). */
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

export interface KeyedItem {
  ref: string;
  scope: { structureId?: number };
  entry: KeyedEntry;
}

const ITEM_TYPES = ['integer', 'text', 'integer', ...VALUE_COLUMNS.map((c) => PG_TYPES[c])];

/**
 * The writes of API entries, in order: each item gets its contract, its id, and its
 * contract-month's total once all items are written. Keys must differ. On PostgreSQL, totals
 * are locked in key order, as the rollups are (no deadlock between two writers of several rows).
 */
export async function writeKeyedEntries(db: Knex, items: KeyedItem[]): Promise<KeyedWrite[]> {
  if (!isPostgres(db)) return writeOneByOne(db, items);
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

/** SQLite: each item's three statements, then each total made the last one of its contract-month. */
async function writeOneByOne(db: Knex, items: KeyedItem[]): Promise<KeyedWrite[]> {
  const out: KeyedWrite[] = [];
  const keys: Array<string | undefined> = [];
  const last = new Map<string, number>();
  for (const { ref, scope, entry } of items) {
    const lookup = { structureId: scope.structureId, closedMonth: entry.month };
    const contract = await findLedgerContract(db, { ref }, lookup);
    const id = contract ? await insertKeyedEntry(db, { ...entry, contract_id: contract.id }) : null;
    if (!contract || id === null) {
      keys.push(undefined);
      out.push({ contract, id: null, total: 0 });
      continue;
    }
    const [t] = await addToMonthTotals(db, [
      { contract_id: contract.id, month: entry.month, centihours: entry.centihours },
    ]);
    const key = `${contract.id}|${entry.month}`;
    last.set(key, t.centihours);
    keys.push(key);
    out.push({ contract, id, total: t.centihours });
  }
  out.forEach((w, i) => {
    const key = keys[i];
    if (key) w.total = last.get(key) ?? w.total;
  });
  return out;
}
