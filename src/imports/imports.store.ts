import type { Knex } from 'knex';
import { insertReturningId } from '../db/rows.js';
import { isPostgres } from '../db/knex.js';
import { insertFlat } from '../db/bulk.js';

// SQL of the imports: the import records, and the bulk reads and writes of an hours import.

export interface ImportRecord {
  kind: 'marches' | 'hours';
  account_id: number | null;
  actor_name: string;
  source: 'api' | 'cli';
  file_name: string | null;
  file_sha256: string;
  file_bytes: number;
  dry_run: boolean;
  status: 'applied' | 'dry_run' | 'rejected';
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  hours_added_centihours: number;
  error_count: number;
  created_at: string;
}

export const insertImport = (db: Knex, row: ImportRecord) => insertReturningId(db, 'imports', { ...row });

export function listImports(db: Knex, accountId: number | null, limit: number) {
  const q = db('imports').select('*').orderBy('id', 'desc').limit(limit);
  if (accountId !== null) q.where('account_id', accountId);
  return q;
}

export const marchesByRefs = (db: Knex, refs: string[]) =>
  db('marches').whereIn('ref', refs).select('id', 'ref', 'cite_id');

export const participantsByRefs = (db: Knex, refs: string[]) =>
  db('participants').whereIn('ref', refs).select('id', 'ref', 'birth_date', 'sex');

/** Fills the first and last names a participant does not have (never overwrites one); the columns filled. */
export async function fillParticipantNames(
  db: Knex,
  id: number,
  names: { first_name: string | null; last_name: string | null },
): Promise<string[]> {
  const filled: string[] = [];
  for (const column of ['first_name', 'last_name'] as const) {
    const value = names[column];
    if (!value) continue;
    const n = await db('participants')
      .where({ id })
      .whereNull(column)
      .update({ [column]: value });
    if (n) filled.push(column);
  }
  return filled;
}

export const contractsByRefs = (db: Knex, refs: string[]) =>
  db('contracts as c')
    .join('marches as m', 'm.id', 'c.marche_id')
    .join('participants as p', 'p.id', 'c.participant_id')
    .whereIn('c.ref', refs)
    .select('c.*', 'm.ref as marche_ref', 'p.ref as participant_ref');

/** Closed (cité, month) pairs: a structure's closed month closes it for the cités of its EPCIs. */
export const closedCiteMonths = (db: Knex) =>
  db('closed_months as cm')
    .join('structure_epcis as se', 'se.structure_id', 'cm.structure_id')
    .join('cites as ci', 'ci.epci_id', 'se.epci_id')
    .distinct('ci.id as cite_id', 'cm.month');

/**
 * Current totals of the given contracts' months. On PostgreSQL the rows are locked, and
 * the (contract, month) pairs about to receive hours are first created at 0, so an entry
 * posted concurrently through the API waits for this import instead of being overwritten.
 */
export async function lockedMonthTotals(
  db: Knex,
  contractIds: number[],
  toCreate: Array<{ contract_id: number; month: string }>,
): Promise<Array<{ contract_id: number; month: string; centihours: number }>> {
  if (!contractIds.length) return [];
  const pg = isPostgres(db);
  if (pg) {
    for (let i = 0; i < toCreate.length; i += 5000) {
      await db('contract_months')
        .insert(toCreate.slice(i, i + 5000).map((k) => ({ ...k, centihours: 0 })))
        .onConflict(['contract_id', 'month'])
        .ignore();
    }
  }
  const q = db('contract_months').whereIn('contract_id', contractIds).select('contract_id', 'month', 'centihours');
  if (pg) q.orderBy(['contract_id', 'month']).forUpdate();
  return (await q).map((r: any) => ({
    contract_id: Number(r.contract_id),
    month: r.month,
    centihours: Number(r.centihours),
  }));
}

/** The first entry of each (contract, month), which an import's correction points at. */
export async function firstEntries(db: Knex, contractIds: number[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!contractIds.length) return out;
  const rows = await db('hour_entries')
    .whereIn('contract_id', contractIds)
    .groupBy('contract_id', 'month')
    .select('contract_id', 'month')
    .min({ id: 'id' });
  for (const r of rows as any[]) out.set(`${r.contract_id}|${r.month}`, Number(r.id));
  return out;
}

export const ENTRY_COLUMNS = [
  'contract_id',
  'month',
  'centihours',
  'kind',
  'corrects_id',
  'reason',
  'posted_by',
  'import_id',
  'created_at',
] as const;
const ENTRY_INSERT = { head: `insert into hour_entries (${ENTRY_COLUMNS.join(',')})`, columns: ENTRY_COLUMNS.length };

/**
 * Inserts entries given as one flat array of values (ENTRY_COLUMNS order), 3 000 rows per
 * statement (27 000 bind parameters: under SQLite's 32 766 and PostgreSQL's 65 535); on
 * SQLite the statement is prepared once per connection (src/db/bulk.ts).
 */
export function insertEntryValues(db: Knex, values: unknown[]): Promise<void> {
  return insertFlat(db, ENTRY_INSERT, values, 3000);
}
