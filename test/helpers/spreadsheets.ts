import fs from 'node:fs';
import path from 'node:path';
import type { Engine } from '../../src/db/knex.js';
import { makeTestApp } from './app.js';
import { postCsv } from './imports.js';

// The project's own fixture files (UTF-8 CSV, as the import format describes them) and the
// figures an import of them gives, to compare with the same files re-saved by a spreadsheet.

export const FIXTURES = path.resolve('test/fixtures');
export const ORIGINAL = { marches: path.join(FIXTURES, 'marches.csv'), hours: path.join(FIXTURES, 'heures.csv') };
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface Figures {
  marches: Record<string, unknown>;
  hours: Record<string, unknown>;
  progress: unknown;
  export: string;
  marcheRows: unknown[];
  people: unknown[];
}

/** Imports a marchés file then an hours file into a fresh database; the figures that result. */
export async function importFigures(engine: Engine, files: { marches: string; hours: string }): Promise<Figures> {
  const t = await makeTestApp(engine);
  try {
    const type = (f: string) => (f.endsWith('.xlsx') ? XLSX_TYPE : 'text/csv');
    const m = await postCsv(t, 'marches', fs.readFileSync(files.marches), { apply: true, type: type(files.marches) });
    const h = await postCsv(t, 'hours', fs.readFileSync(files.hours), { apply: true, type: type(files.hours) });
    const progress = await t.http.get('/api/v1/progress').expect(200);
    const exported = await t.http.get('/api/v1/exports/hours.csv').set('Authorization', t.admin).expect(200);
    const marcheRows = await t
      .db('marches as m')
      .join('contractors as c', 'c.id', 'm.contractor_id')
      .select(
        'm.ref',
        'm.title',
        'c.siret',
        'c.name',
        'm.amount_cents',
        'm.required_centihours',
        'm.start_date',
        'm.end_date',
      )
      .orderBy('m.ref');
    const people = await t.db('participants').select('ref', 'first_name', 'last_name', 'birth_date').orderBy('ref');
    return {
      marches: { status: m.status, ...m.body },
      hours: { status: h.status, ...h.body },
      progress: progress.body,
      export: exported.text,
      marcheRows: marcheRows.map((r) => ({
        ...r,
        amount_cents: Number(r.amount_cents),
        required_centihours: Number(r.required_centihours),
      })),
      people,
    };
  } finally {
    await t.destroy();
  }
}
