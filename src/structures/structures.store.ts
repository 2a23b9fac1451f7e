import type { Knex } from 'knex';

/** A row of `structures`: a PLIE, or an EPCI running its clauses itself (`regie`). */
export interface StructureRow {
  id: number;
  code: string;
  name: string;
  kind: string;
}

export interface StructureEpciRow {
  structure_id: number;
  epci_code: string;
}

export async function findStructureByCode(db: Knex, code: string): Promise<StructureRow | undefined> {
  return db('structures').where({ code }).first();
}
export async function findStructureById(db: Knex, id: number): Promise<StructureRow | undefined> {
  return db('structures').where({ id }).first();
}

/** The structures whose EPCIs include the cité's (those that may close its months). */
export function structuresOfCite(db: Knex, citeId: number) {
  return db('structure_epcis as se')
    .join('cites as ci', 'ci.epci_id', 'se.epci_id')
    .where('ci.id', citeId)
    .select('se.structure_id');
}

/** Every structure, in code order (a handful: reference data, never paged). */
export async function listStructures(db: Knex): Promise<StructureRow[]> {
  return db('structures').select('id', 'code', 'name', 'kind').orderBy('code');
}

/** The EPCIs each structure covers, in EPCI code order. */
export async function structureEpcis(db: Knex): Promise<StructureEpciRow[]> {
  return db('structure_epcis as se')
    .join('epcis as e', 'e.id', 'se.epci_id')
    .select('se.structure_id', 'e.code as epci_code')
    .orderBy('e.code');
}
