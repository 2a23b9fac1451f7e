import type { Knex } from 'knex';
import { insertReturningId } from '../db/rows.js';
import { isPostgres } from '../db/knex.js';

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

export interface MarcheRefRow {
  id: number;
  ref: string;
  cite_id: number;
  start_date: string;
  end_date: string;
}
export const marchesByRefs = (db: Knex, refs: string[]): Promise<MarcheRefRow[]> =>
  db('marches').whereIn('ref', refs).select('id', 'ref', 'cite_id', 'start_date', 'end_date');

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

/** A contract already in the ledger, with the columns an import compares. */
export interface KnownContractRow {
  id: number;
  ref: string;
  participant_ref: string;
  marche_ref: string;
  employer_siret: string;
  contract_type: string;
  mode: string;
  start_date: string;
  end_date: string;
  categories: string;
  rsa_departement: string | null;
}
export const contractsByRefs = (db: Knex, refs: string[]): Promise<KnownContractRow[]> =>
  db('contracts as c')
    .join('marches as m', 'm.id', 'c.marche_id')
    .join('participants as p', 'p.id', 'c.participant_id')
    .whereIn('c.ref', refs)
    .select('c.*', 'm.ref as marche_ref', 'p.ref as participant_ref');

/**
 * Current totals of the given contracts' months, absent when a month has none. On PostgreSQL
 * the rows are locked, and the (contract, month) pairs about to receive hours are first
 * created at 0 (and still reported absent), so an entry posted concurrently through the API
 * waits for this import instead of being overwritten.
 */
export async function lockedMonthTotals(
  db: Knex,
  contractIds: number[],
  toCreate: Array<{ contract_id: number; month: string }>,
): Promise<Array<{ contract_id: number; month: string; centihours: number }>> {
  if (!contractIds.length) return [];
  const pg = isPostgres(db);
  const createdNow = new Set<string>();
  if (pg) {
    for (let i = 0; i < toCreate.length; i += 5000) {
      const rows: Array<{ contract_id: number; month: string }> = await db('contract_months')
        .insert(toCreate.slice(i, i + 5000).map((k) => ({ ...k, centihours: 0 })))
        .onConflict(['contract_id', 'month'])
        .ignore()
        .returning(['contract_id', 'month']);
      for (const r of rows) createdNow.add(`${r.contract_id}|${r.month}`);
    }
  }
  const q = db('contract_months').whereIn('contract_id', contractIds).select('contract_id', 'month', 'centihours');
  if (pg) q.orderBy(['contract_id', 'month']).forUpdate();
  const rows: Array<{ contract_id: number; month: string; centihours: number }> = await q;
  return rows
    .filter((r) => !createdNow.has(`${r.contract_id}|${r.month}`))
    .map((r) => ({ contract_id: Number(r.contract_id), month: r.month, centihours: Number(r.centihours) }));
}

/** The first entry of each (contract, month), which an import's correction points at. */
export async function firstEntries(db: Knex, contractIds: number[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!contractIds.length) return out;
  const rows: Array<{ contract_id: number; month: string; id: number }> = await db('hour_entries')
    .whereIn('contract_id', contractIds)
    .groupBy('contract_id', 'month')
    .select('contract_id', 'month')
    .min({ id: 'id' });
  for (const r of rows) out.set(`${r.contract_id}|${r.month}`, Number(r.id));
  return out;
}

/** The structure (by code) covering each cité, the first by code when several do. */
export async function structureCodeOfCites(db: Knex): Promise<Map<number, string>> {
  const rows: Array<{ cite_id: number; code: string }> = await db('cites as ci')
    .join('structure_epcis as se', 'se.epci_id', 'ci.epci_id')
    .join('structures as s', 's.id', 'se.structure_id')
    .select('ci.id as cite_id', 's.code')
    .orderBy([{ column: 'ci.id' }, { column: 's.code' }]);
  const out = new Map<number, string>();
  for (const r of rows) if (!out.has(Number(r.cite_id))) out.set(Number(r.cite_id), r.code);
  return out;
}

/** Inserts new contracts (a few hundred at a time); returns their ids by ref. */
export async function insertContracts(db: Knex, rows: Array<Record<string, unknown>>): Promise<Map<string, number>> {
  const inserted: Array<{ id: number; ref: string }> = await db('contracts').insert(rows).returning(['id', 'ref']);
  return new Map(inserted.map((r) => [r.ref, Number(r.id)]));
}
