import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract } from '../helpers/fixtures.js';
import { csv, HOURS_HEADER, hoursLine, postCsv, seedMarches } from '../helpers/imports.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe.each(engines)('hours export [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
  });
  afterEach(async () => {
    await t.destroy();
  });

  it('round trip: export then re-import changes nothing, also for hours entered through the API', async () => {
    await seedMarches(t);
    await postCsv(
      t,
      'hours',
      csv(HOURS_HEADER, [
        hoursLine(),
        hoursLine({ month: '04/2024', hours: '12,5' }),
        hoursLine({
          contract: 'C-2',
          participant: 'P-2',
          birth: '1970-03-01',
          categories: 'RSA,DELD',
          rsa: '59',
          month: '05/2024',
          hours: '20',
        }),
      ]),
      { apply: true },
    ).expect(200);
    await seedContract(t, { contract: 'C-3', participant: 'P-3', start: '2024-03-01', end: '2024-06-30' });
    await postHours(t, 'C-3', '2024-03', '7,25').expect(201);
    await postHours(t, 'C-3', '2024-03', '1').expect(201);

    const e = await t.http.get('/api/v1/exports/hours.csv').set('Authorization', t.admin).expect(200);
    expect(e.headers['content-type']).toMatch(/text\/csv/);
    const lines = e.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(HOURS_HEADER);
    expect(lines.slice(1)).toEqual([
      'M-1;C-1;P-1;10/05/1990;F;;;44306184100047;CDD;ETTI;01/02/2024;31/12/2024;03/2024;151,67',
      'M-1;C-1;P-1;10/05/1990;F;;;44306184100047;CDD;ETTI;01/02/2024;31/12/2024;04/2024;12,5',
      'M-1;C-2;P-2;01/03/1970;F;RSA,DELD;59;44306184100047;CDD;ETTI;01/02/2024;31/12/2024;05/2024;20',
      'M-1;C-3;P-3;10/05/1990;F;;;44306184100047;CDD;ETTI;01/03/2024;30/06/2024;03/2024;8,25',
    ]);
    const again = await postCsv(t, 'hours', Buffer.from(e.text, 'utf8'), { apply: true }).expect(200);
    expect(again.body).toEqual({
      dryRun: false,
      rows: 4,
      created: 0,
      updated: 0,
      unchanged: 4,
      hoursAdded: 0,
      format: 'csv',
      encoding: 'utf-8',
      twoDigitYears: 0,
      errors: [],
    });

    const x = await t.http
      .get('/api/v1/exports/hours.xlsx')
      .set('Authorization', t.admin)
      .buffer(true)
      .parse((res, cb) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => cb(null, Buffer.concat(parts)));
      })
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.body);
    const ws = wb.getWorksheet('Heures')!;
    expect(ws.getRow(1).values).toEqual([undefined, ...HOURS_HEADER.split(';')]);
    expect(ws.getRow(2).getCell(14).value).toBe(151.67);
    expect(ws.rowCount).toBe(5);
    // Typed for the reader: date cells shown jj/mm/aaaa, months as dates shown mm/aaaa,
    // hours with two decimals, the SIRET as text, a frozen header, widths that fit.
    const row = ws.getRow(2);
    expect(row.getCell(4).value).toEqual(new Date(Date.UTC(1990, 4, 10)));
    expect(row.getCell(4).numFmt).toBe('dd/mm/yyyy');
    expect(row.getCell(11).value).toEqual(new Date(Date.UTC(2024, 1, 1)));
    expect(row.getCell(13).value).toEqual(new Date(Date.UTC(2024, 2, 1)));
    expect(row.getCell(13).numFmt).toBe('mm/yyyy');
    expect(row.getCell(14).numFmt).toBe('#,##0.00');
    expect(row.getCell(8).value).toBe('44306184100047');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(8).width).toBeGreaterThanOrEqual(16); // 14 digits and a margin
    expect(ws.getColumn(4).width).toBe(12);

    // Export, then import the workbook itself: nothing changes.
    const back = await postCsv(t, 'hours', x.body, { apply: true, type: XLSX_TYPE }).expect(200);
    expect(back.body).toMatchObject({ format: 'xlsx', rows: 4, unchanged: 4, hoursAdded: 0 });
  });

  it('exports only the scope of a facilitator, and never to roles that may not see people', async () => {
    await seedMarches(t);
    await postCsv(t, 'hours', csv(HOURS_HEADER, [hoursLine()]), { apply: true }).expect(200);
    const other = await t.tokenFor('facilitator', { structure: 'plie-bethune' });
    const e = await t.http.get('/api/v1/exports/hours.csv').set('Authorization', other).expect(200);
    expect(
      e.text
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n'),
    ).toHaveLength(1);
    const co = await t.tokenFor('contractor', { siren: '732829320' });
    const r = await t.http.get('/api/v1/exports/hours.csv').set('Authorization', co).expect(403);
    expect(r.body.error.code).toBe('forbidden');
    await t.http.get('/api/v1/exports/hours.xlsx').expect(401);
  });
});
