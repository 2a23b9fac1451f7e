import type { Knex } from 'knex';
import * as store from './structures.store.js';
import { structureView, type StructureView } from './structures.view.js';

/** Every structure with the codes of its EPCIs, in code order. */
export async function listStructures(db: Knex): Promise<StructureView[]> {
  const [rows, links] = await Promise.all([store.listStructures(db), store.structureEpcis(db)]);
  return rows.map((r) =>
    structureView(
      r,
      links.filter((l) => Number(l.structure_id) === r.id).map((l) => l.epci_code),
    ),
  );
}
