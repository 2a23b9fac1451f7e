import type { Knex } from 'knex';
import { insertReturningId } from '../db/rows.js';

export function marchesQuery(db: Knex) {
  return db('marches as m')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .join('contractors as co', 'co.id', 'm.contractor_id')
    .select('m.*', 'ci.code as cite_code', 'co.siret as contractor_siret', 'co.name as contractor_name')
    .orderBy('m.ref');
}

export const findMarcheByRef = (db: Knex, ref: string) => marchesQuery(db).where('m.ref', ref).first();

export const insertMarche = (db: Knex, row: Record<string, unknown>) => insertReturningId(db, 'marches', row);

export async function updateMarche(db: Knex, id: number, row: Record<string, unknown>): Promise<void> {
  await db('marches').where({ id }).update(row);
}
