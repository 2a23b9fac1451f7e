import type { Knex } from 'knex';

export const findStructureByCode = (db: Knex, code: string) => db('structures').where({ code }).first();
export const findStructureById = (db: Knex, id: number) => db('structures').where({ id }).first();

/** The structures whose EPCIs include the cité's (those that may close its months). */
export function structuresOfCite(db: Knex, citeId: number) {
  return db('structure_epcis as se')
    .join('cites as ci', 'ci.epci_id', 'se.epci_id')
    .where('ci.id', citeId)
    .select('se.structure_id');
}

export function listStructures(db: Knex) {
  return db('structures').select('id', 'code', 'name', 'kind').orderBy('code');
}
