import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Knex } from 'knex';
import { REFERENCE_DATA_DIR } from '../../../src/paths.js';
import { linkStructureEpcis } from '../../../src/reports/rollups/index.js';

// Reference data of the ERBM, copied from the programme's sources into this folder.
// Applying it is idempotent: existing codes are left alone, so an admin's renames survive.
const here = REFERENCE_DATA_DIR;

function readCsv(name: string): Record<string, string>[] {
  const text = fs.readFileSync(path.join(here, name), 'utf8');
  return parse(text, { delimiter: ';', columns: true, bom: true, skip_empty_lines: true, trim: true });
}

export const ERBM = {
  code: 'erbm',
  name: 'Engagement pour le Renouveau du Bassin Minier 2017-2027',
  target_centihours: 360_000 * 100,
  start_date: '2017-03-07',
  end_date: '2027-12-31',
};

export async function seedReference(db: Knex): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('programmes').insert(ERBM).onConflict('code').ignore();
    const programme = await trx('programmes').where({ code: ERBM.code }).first('id');

    await trx('departements').insert(readCsv('departements.csv')).onConflict('code').ignore();

    const epcis = readCsv('epcis.csv').map((r) => ({ code: r.code, name: r.name, departement_code: r.departement }));
    await trx('epcis').insert(epcis).onConflict('code').ignore();
    const epciIds = new Map<string, number>((await trx('epcis').select('id', 'code')).map((r) => [r.code, r.id]));

    await trx('bailleurs').insert(readCsv('bailleurs.csv')).onConflict('code').ignore();
    const bailleurIds = new Map<string, number>(
      (await trx('bailleurs').select('id', 'code')).map((r) => [r.code, r.id]),
    );

    const structures = readCsv('structures.csv');
    await trx('structures')
      .insert(structures.map((s) => ({ code: s.code, name: s.name, kind: s.kind })))
      .onConflict('code')
      .ignore();
    const structureIds = new Map<string, number>(
      (await trx('structures').select('id', 'code')).map((r) => [r.code, r.id]),
    );
    const links = structures.flatMap((s) =>
      s.epcis.split(',').map((e) => ({ structure_id: structureIds.get(s.code)!, epci_id: epciIds.get(e.trim())! })),
    );
    // A structure that gains an EPCI changes what the rollups count under it: through them.
    await linkStructureEpcis(trx, links);

    const cites = readCsv('cites.csv').map((c) => ({
      code: c.code,
      name: c.name,
      commune: c.commune,
      programme_id: programme.id,
      epci_id: epciIds.get(c.epci)!,
      bailleur_id: c.bailleur ? bailleurIds.get(c.bailleur)! : null,
    }));
    await trx('cites').insert(cites).onConflict('code').ignore();
  });
}
