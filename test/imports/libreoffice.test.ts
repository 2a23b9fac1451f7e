import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp } from '../helpers/app.js';
import { postCsv } from '../helpers/imports.js';
import { hasLibreOffice, libreOffice, type LibreOffice } from '../helpers/libreoffice.js';
import { type Figures, importFigures, ORIGINAL, XLSX_TYPE } from '../helpers/spreadsheets.js';

// The round trip through a real spreadsheet, made at run time: LibreOffice Calc (headless,
// fr-FR) opens the project's fixture files and saves them as people do: Windows-1252 CSV with
// number recognition (dates come back jj/mm/aa, a SIRET's leading zero is lost), Windows-1252
// CSV without it, and .xlsx. Each import must give the figures of the original file.
// Skipped where LibreOffice is absent, never in CI (test/helpers/libreoffice.ts).

describe.skipIf(!hasLibreOffice)('LibreOffice round trip', () => {
  let lo: LibreOffice;
  let dir: string;
  const files: Record<string, { marches: string; hours: string }> = {};
  beforeAll(async () => {
    lo = libreOffice();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lo-files-'));
    const src = [ORIGINAL.marches, ORIGINAL.hours];
    for (const as of ['csv-1252-recognised', 'csv-1252-text', 'xlsx'] as const) {
      const [marches, hours] = await lo.convert(src, as, path.join(dir, as));
      files[as] = { marches, hours };
    }
  }, 180_000);
  afterAll(() => {
    lo?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('wrote what French users get: Windows-1252, jj/mm/aa dates, a SIRET without its leading zero', () => {
    const csv = fs.readFileSync(files['csv-1252-recognised'].marches);
    expect(csv.includes(Buffer.from('gros \x9cuvre', 'latin1'))).toBe(true); // « œ » in Windows-1252
    expect(csv.toString('latin1')).toMatch(/;1234567800010;.*;15\/03\/24;30\/06\/25/);
    expect(fs.readFileSync(files['csv-1252-text'].hours, 'latin1')).toMatch(/;10\/05\/1984;/);
    expect(fs.readFileSync(files.xlsx.hours).subarray(0, 2).toString()).toBe('PK');
  });

  describe.each(engines)('[%s]', (engine) => {
    let original: Figures;
    beforeAll(async () => {
      original = await importFigures(engine, ORIGINAL);
      expect(original.hours).toMatchObject({ status: 200, rows: 21, errors: [] });
    });
    const same = (f: Figures) => {
      expect(f.progress).toEqual(original.progress);
      expect(f.export).toBe(original.export);
      expect(f.marcheRows).toEqual(original.marcheRows);
      expect(f.people).toEqual(original.people);
      expect({ ...f.hours, format: 'csv', encoding: 'utf-8', twoDigitYears: 0 }).toEqual(original.hours);
    };

    it('Windows-1252 CSV with number recognition', async () => {
      const f = await importFigures(engine, files['csv-1252-recognised']);
      expect(f.hours).toMatchObject({ status: 200, encoding: 'windows-1252', twoDigitYears: 63 });
      same(f);
    });
    it('Windows-1252 CSV without number recognition', async () => {
      const f = await importFigures(engine, files['csv-1252-text']);
      expect(f.hours).toMatchObject({ status: 200, encoding: 'windows-1252', twoDigitYears: 0 });
      same(f);
    });
    it('XLSX', async () => {
      const f = await importFigures(engine, files.xlsx);
      expect(f.hours).toMatchObject({ status: 200, format: 'xlsx' });
      same(f);
    });

    it('an exported workbook, re-saved by LibreOffice as .xlsx and as CSV, imports back unchanged', async () => {
      const t = await makeTestApp(engine);
      try {
        await postCsv(t, 'marches', fs.readFileSync(ORIGINAL.marches), { apply: true }).expect(200);
        await postCsv(t, 'hours', fs.readFileSync(ORIGINAL.hours), { apply: true }).expect(200);
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
        const exported = path.join(dir, `export-${engine}`, 'heures-export.xlsx');
        fs.mkdirSync(path.dirname(exported), { recursive: true });
        fs.writeFileSync(exported, x.body);
        const [xlsx] = await lo.convert([exported], 'xlsx', path.join(dir, `export-${engine}`, 'xlsx'));
        const [csv] = await lo.convert([exported], 'csv-1252-recognised', path.join(dir, `export-${engine}`, 'csv'));
        const a = await postCsv(t, 'hours', fs.readFileSync(xlsx), { apply: true, type: XLSX_TYPE }).expect(200);
        expect(a.body).toMatchObject({ format: 'xlsx', rows: 20, created: 0, updated: 0, unchanged: 20 });
        const b = await postCsv(t, 'hours', fs.readFileSync(csv), { apply: true }).expect(200);
        expect(b.body).toMatchObject({ format: 'csv', rows: 20, created: 0, updated: 0, unchanged: 20 });
      } finally {
        await t.destroy();
      }
    });
  });
});
