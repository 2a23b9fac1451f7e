import type { Knex } from 'knex';

const citeColumns = [
  'ci.id',
  'ci.code',
  'ci.name',
  'ci.commune',
  'e.code as epci_code',
  'e.departement_code',
  'b.code as bailleur_code',
  'b.name as bailleur_name',
];

export function citesQuery(db: Knex) {
  return db('cites as ci')
    .join('epcis as e', 'e.id', 'ci.epci_id')
    .leftJoin('bailleurs as b', 'b.id', 'ci.bailleur_id')
    .select(citeColumns)
    .orderBy('ci.code');
}

export const findCiteByCode = (db: Knex, code: string) => citesQuery(db).where('ci.code', code).first();

export const findEpciByCode = (db: Knex, code: string) => db('epcis').where({ code }).first();
export const findBailleurByCode = (db: Knex, code: string) => db('bailleurs').where({ code }).first();
export const findProgrammeByCode = (db: Knex, code: string) => db('programmes').where({ code }).first();

export async function insertCite(db: Knex, row: Record<string, unknown>): Promise<void> {
  await db('cites').insert(row);
}
