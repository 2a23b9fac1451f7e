import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { rowCounts } from '../helpers/fixtures.js';
import { csv, HOURS_HEADER, hoursLine, MARCHES_HEADER, marcheLine, postCsv, seedMarches } from '../helpers/imports.js';
import { XLSX_TYPE } from '../helpers/spreadsheets.js';

// Rows as spreadsheets and people write them, through the HTTP API on both engines: every
// bad cell of a row, thousands separators, participants' names, two-digit years, workbooks.

const NAMES_HEADER = `${HOURS_HEADER};first_name;last_name`;

describe.each(engines)('spreadsheet rows over HTTP [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    await seedMarches(t);
  });
  afterEach(async () => {
    await t.destroy();
  });

  it('reports every bad cell of a row, not only the first one found', async () => {
    const file = csv(HOURS_HEADER, [
      hoursLine({ mode: 'TRAVAIL', categories: 'RSA,XYZ', month: '13/2024', hours: '10,123', employer: '123' }),
      hoursLine({ contract: 'C-2', sex: 'X', birth: '31/02/1990', start: '', end: '01/01/2024', hours: '' }),
      hoursLine({ contract: 'C-3', categories: 'RSA', rsa: '', start: '01/03/2024', end: '01/02/2024', hours: '300' }),
    ]);
    const r = await postCsv(t, 'hours', file).expect(422);
    const at = (line: number) =>
      r.body.errors
        .filter((e: { line: number }) => e.line === line)
        .map((e: { column: string }) => e.column)
        .sort();
    expect(at(2)).toEqual(['categories', 'employer_siret', 'hours', 'mode', 'month']);
    expect(at(3)).toEqual(['birth_date', 'contract_start', 'hours', 'sex']);
    expect(at(4)).toEqual(['contract_end', 'hours', 'rsa_departement']);
    expect(
      r.body.errors.find((e: { line: number; column: string }) => e.line === 4 && e.column === 'hours').message,
    ).toMatch(/235 h/);
  });

  it('reads amounts and hours with spaces, no-break or narrow no-break spaces between thousands', async () => {
    const file = csv(MARCHES_HEADER, [
      marcheLine({ ref: 'M-2', amount: '850 000,50', required: '1\u00a0200' }),
      marcheLine({ ref: 'M-3', amount: '1\u202f200\u202f000,00', required: '12 345,5' }),
    ]);
    const r = await postCsv(t, 'marches', file, { apply: true }).expect(200);
    expect(r.body).toMatchObject({ created: 2, errors: [] });
    const rows = await t.db('marches').whereIn('ref', ['M-2', 'M-3']).orderBy('ref');
    expect(rows.map((m) => [Number(m.amount_cents), Number(m.required_centihours)])).toEqual([
      [85_000_050, 120_000],
      [120_000_000, 1_234_550],
    ]);
    const bad = await postCsv(t, 'marches', csv(MARCHES_HEADER, [marcheLine({ ref: 'M-4', amount: '85 00,50' })]));
    expect(bad.body.errors).toEqual([{ line: 2, column: 'amount_eur', message: expect.stringMatching(/85 00,50/) }]);
  });

  it('names participants from optional first_name and last_name columns, filling only what is missing', async () => {
    // A file without the columns still works, and creates a participant without a name.
    await postCsv(t, 'hours', csv(HOURS_HEADER, [hoursLine()]), { apply: true }).expect(200);
    expect(await t.db('participants').where({ ref: 'P-1' }).first()).toMatchObject({
      first_name: null,
      last_name: null,
    });
    const named = csv(NAMES_HEADER, [
      `${hoursLine({ month: '04/2024' })};Léa;`, // first name only on this row
      `${hoursLine({ month: '05/2024' })};;Martin`,
      `${hoursLine({ contract: 'C-2', participant: 'P-2', month: '04/2024' })};Kévin;Dubœuf`,
    ]);
    const dry = await postCsv(t, 'hours', named).expect(200);
    expect(dry.body.errors).toEqual([]);
    expect(await t.db('participants').where({ ref: 'P-1' }).first()).toMatchObject({ first_name: null });
    await postCsv(t, 'hours', named, { apply: true }).expect(200);
    const people = await t.db('participants').select('ref', 'first_name', 'last_name').orderBy('ref');
    expect(people).toEqual([
      { ref: 'P-1', first_name: 'Léa', last_name: 'Martin' },
      { ref: 'P-2', first_name: 'Kévin', last_name: 'Dubœuf' },
    ]);
    const audit = await t.db('audit_log').where({ action: 'participant.update', entity_ref: 'P-1' });
    expect(audit).toHaveLength(1);
    // A name already recorded is never overwritten by a file.
    await postCsv(t, 'hours', csv(NAMES_HEADER, [`${hoursLine({ month: '06/2024' })};Lea;MARTIN`]), {
      apply: true,
    }).expect(200);
    expect(await t.db('participants').where({ ref: 'P-1' }).first()).toMatchObject({
      first_name: 'Léa',
      last_name: 'Martin',
    });
    // Within one file, two rows of one person must not disagree.
    const clash = await postCsv(
      t,
      'hours',
      csv(NAMES_HEADER, [
        `${hoursLine({ month: '06/2024' })};Léa;Martin`,
        `${hoursLine({ month: '07/2024' })};Léna;Martin`,
      ]),
    ).expect(422);
    expect(clash.body.errors).toEqual([
      {
        line: 3,
        column: 'first_name',
        message: expect.stringMatching(/prénom .* \(Léna\) diffère de celui de la ligne 2 \(Léa\)/),
      },
    ]);
  });

  it('reads two-digit years: birth dates by the 14-99 age rule, contract dates as 20yy, and counts them', async () => {
    const file = csv(HOURS_HEADER, [
      hoursLine({ birth: '05/04/84', start: '01/02/24', end: '31/12/24' }), // 3 values
      hoursLine({ birth: '05/04/84', start: '01/02/24', end: '31/12/24', month: '04/2024' }), // 3 more
      hoursLine({ contract: 'C-2', participant: 'P-2', birth: '23/11/05', month: '05/2024' }), // 2005: 18 at start
      hoursLine({ contract: 'C-3', participant: 'P-3', birth: '02/07/10', month: '05/2024' }), // 13 or 113: refused
    ]);
    const r = await postCsv(t, 'hours', file).expect(422);
    expect(r.body.errors).toEqual([
      {
        line: 5,
        column: 'birth_date',
        message:
          'Date de naissance « 02/07/10 » à deux chiffres d’année : 02/07/1910 (113 ans au début du contrat) ou 02/07/2010 (13 ans au début du contrat) ; aucune ne donne un âge de 14 à 99 ans. Écrivez l’année en quatre chiffres.',
      },
    ]);
    const ok = await postCsv(t, 'hours', csv(HOURS_HEADER, file.trim().split('\n').slice(1, 4)), {
      apply: true,
    }).expect(200);
    expect(ok.body).toMatchObject({ rows: 3, created: 3, twoDigitYears: 7, errors: [] });
    const people = await t.db('participants').select('ref', 'birth_date').orderBy('ref');
    expect(people).toEqual([
      { ref: 'P-1', birth_date: '1984-04-05' },
      { ref: 'P-2', birth_date: '2005-11-23' },
    ]);
    const c = await t.db('contracts').where({ ref: 'C-1' }).first();
    expect([c.start_date, c.end_date]).toEqual(['2024-02-01', '2024-12-31']);
    // The same people written with four digits agree with what was recorded.
    const again = await postCsv(t, 'hours', csv(HOURS_HEADER, [hoursLine({ birth: '05/04/1984' })])).expect(200);
    expect(again.body).toMatchObject({ unchanged: 1, twoDigitYears: 0 });
    const m = await postCsv(
      t,
      'marches',
      csv(MARCHES_HEADER, [marcheLine({ ref: 'M-9', start: '01/01/24', end: '31/12/25' })]),
      {
        apply: true,
      },
    ).expect(200);
    expect(m.body).toMatchObject({ created: 1, twoDigitYears: 2 });
  });

  it('accepts a workbook as xlsx or as a generic binary body, read by its bytes', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Heures');
    ws.addRow([...HOURS_HEADER.split(';'), 'first_name']);
    ws.addRow([
      'M-1',
      'C-1',
      'P-1',
      new Date(Date.UTC(1990, 4, 10)),
      'F',
      '',
      null,
      44306184100047,
      'CDD',
      'ETTI',
      new Date(Date.UTC(2024, 1, 1)),
      new Date(Date.UTC(2024, 11, 31)),
      new Date(Date.UTC(2024, 2, 1)),
      151.67,
      'Léa',
    ]);
    const body = Buffer.from(await wb.xlsx.writeBuffer());
    const before = await rowCounts(t);
    for (const type of [XLSX_TYPE, 'application/octet-stream', 'text/csv']) {
      const r = await postCsv(t, 'hours', body, { type }).expect(200);
      expect(r.body).toMatchObject({ format: 'xlsx', rows: 1, created: 1, hoursAdded: 151.67, errors: [] });
    }
    expect(await rowCounts(t)).toEqual(before);
    await postCsv(t, 'hours', body, { type: XLSX_TYPE, apply: true }).expect(200);
    expect(await t.db('participants').where({ ref: 'P-1' }).first()).toMatchObject({
      birth_date: '1990-05-10',
      first_name: 'Léa',
    });
    const broken = await postCsv(t, 'hours', Buffer.concat([body.subarray(0, 300)]), { type: XLSX_TYPE }).expect(422);
    expect(broken.body.errors[0].message).toMatch(/illisible/);
  });
});
