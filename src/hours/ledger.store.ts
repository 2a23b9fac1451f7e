import type { Knex } from 'knex';
import { insertReturningId } from '../db/rows.js';

// SQL of the ledger. There is no UPDATE or DELETE of hour_entries here or anywhere:
// the table is append-only (and triggers in the database refuse both).

export const findEntryByKey = (db: Knex, key: string) => db('hour_entries').where({ idempotency_key: key }).first();
export const findEntryById = (db: Knex, id: number) => db('hour_entries').where({ id }).first();

export const insertEntry = (db: Knex, row: Record<string, unknown>) => insertReturningId(db, 'hour_entries', row);

/** The current total of a contract-month (0 when it has no entry). */
export async function monthTotal(db: Knex, contractId: number, month: string): Promise<number> {
  const row = await db('contract_months').where({ contract_id: contractId, month }).first('centihours');
  return Number(row?.centihours ?? 0);
}

/** Locks (PostgreSQL) and returns the current total of a contract-month, creating it at 0. */
export async function lockMonthTotal(db: Knex, contractId: number, month: string): Promise<number> {
  await db('contract_months')
    .insert({ contract_id: contractId, month, centihours: 0 })
    .onConflict(['contract_id', 'month'])
    .ignore();
  const row = await db('contract_months').where({ contract_id: contractId, month }).forUpdate().first('centihours');
  return Number(row.centihours);
}

export function entriesOfContract(db: Knex, contractId: number) {
  return db('hour_entries').where({ contract_id: contractId }).orderBy('id');
}

export function monthTotalsOfContract(db: Knex, contractId: number) {
  return db('contract_months').where({ contract_id: contractId }).select('month', 'centihours').orderBy('month');
}

/** Sum of an entry and of the corrections that point at it. */
export async function correctedValueOf(db: Knex, entryId: number): Promise<number> {
  const r = await db('hour_entries')
    .where('id', entryId)
    .orWhere('corrects_id', entryId)
    .sum({ total: 'centihours' })
    .first();
  return Number(r?.total ?? 0);
}

export async function isMonthClosedForCite(db: Knex, citeId: number, month: string): Promise<boolean> {
  const r = await db('closed_months as cm')
    .join('structure_epcis as se', 'se.structure_id', 'cm.structure_id')
    .join('cites as ci', 'ci.epci_id', 'se.epci_id')
    .where({ 'ci.id': citeId, 'cm.month': month })
    .first('cm.month');
  return !!r;
}

/** The first entry of a contract-month (what a correction of its total points at), if any. */
export async function firstEntryOfMonth(db: Knex, contractId: number, month: string): Promise<number | null> {
  const r = await db('hour_entries').where({ contract_id: contractId, month }).min({ id: 'id' }).first();
  return r?.id == null ? null : Number(r.id);
}
