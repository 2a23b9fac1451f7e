import type { Knex } from 'knex';
import { insertReturningId } from '../db/rows.js';

export function contractsQuery(db: Knex) {
  return db('contracts as c')
    .join('marches as m', 'm.id', 'c.marche_id')
    .join('participants as p', 'p.id', 'c.participant_id')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .select('c.*', 'm.ref as marche_ref', 'm.cite_id', 'ci.epci_id', 'p.ref as participant_ref')
    .orderBy('c.ref');
}

export const findContractByRef = (db: Knex, ref: string) => contractsQuery(db).where('c.ref', ref).first();

export const insertContract = (db: Knex, row: Record<string, unknown>) => insertReturningId(db, 'contracts', row);
