import type { Knex } from 'knex';
import { insertReturningId } from '../db/rows.js';

export const findContractorBySiret = (db: Knex, siret: string) => db('contractors').where({ siret }).first();

export function contractorsQuery(db: Knex) {
  return db('contractors').select('id', 'siret', 'siren', 'name').orderBy('siret');
}

export const insertContractor = (db: Knex, row: { siret: string; siren: string; name: string; created_at: string }) =>
  insertReturningId(db, 'contractors', row);
