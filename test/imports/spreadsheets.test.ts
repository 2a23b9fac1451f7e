import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { FIXTURES, importFigures, ORIGINAL } from '../helpers/spreadsheets.js';

// Files that LibreOffice Calc 7.4 (fr-FR) itself wrote from the project's fixtures, committed
// so that these tests need no LibreOffice: « CSV (séparateur : point-virgule) » in Windows-1252
// with number recognition on (dates re-saved jj/mm/aa, a SIRET's leading zero dropped,
// 1200000,00 written 1200000) and an .xlsx workbook (typed cells: numbers, dates).
// test/imports/libreoffice.test.ts makes them again at run time.
const LO = path.join(FIXTURES, 'libreoffice');

describe.each(engines)('files written by LibreOffice give the figures of the original [%s]', (engine) => {
  it('the original fixture files import cleanly', async () => {
    const f = await importFigures(engine, ORIGINAL);
    expect(f.marches).toMatchObject({ status: 200, rows: 3, created: 3, encoding: 'utf-8', twoDigitYears: 0 });
    expect(f.hours).toMatchObject({
      status: 200,
      rows: 21,
      created: 20, // and one 0 h row, unchanged
      unchanged: 1,
      hoursAdded: 2585.94,
      format: 'csv',
      encoding: 'utf-8',
      twoDigitYears: 0,
      errors: [],
    });
    expect(f.people).toContainEqual({
      ref: 'P-0002',
      first_name: 'Kévin',
      last_name: 'Dubœuf',
      birth_date: '2005-11-23',
    });
    expect(f.marcheRows).toContainEqual(
      expect.objectContaining({ ref: 'M-2024-002', siret: '01234567800010', name: 'Société d’Étanchéité Française' }),
    );
  });

  it('a Windows-1252 CSV re-saved with number recognition (two-digit years) gives the same figures', async () => {
    const original = await importFigures(engine, ORIGINAL);
    const lo = await importFigures(engine, {
      marches: path.join(LO, 'marches.csv'),
      hours: path.join(LO, 'heures.csv'),
    });
    expect(lo.marches).toMatchObject({ status: 200, encoding: 'windows-1252', twoDigitYears: 6, errors: [] });
    // 21 rows, each with a birth date and two contract dates written jj/mm/aa.
    expect(lo.hours).toMatchObject({ status: 200, encoding: 'windows-1252', twoDigitYears: 63, errors: [] });
    expect({ ...lo.hours, encoding: 'utf-8', twoDigitYears: 0 }).toEqual(original.hours);
    expect(lo.progress).toEqual(original.progress);
    expect(lo.export).toBe(original.export);
    expect(lo.marcheRows).toEqual(original.marcheRows);
    expect(lo.people).toEqual(original.people);
  });

  it('an .xlsx workbook saved by LibreOffice (typed cells) gives the same figures', async () => {
    const original = await importFigures(engine, ORIGINAL);
    const lo = await importFigures(engine, {
      marches: path.join(LO, 'marches.xlsx'),
      hours: path.join(LO, 'heures.xlsx'),
    });
    expect(lo.hours).toMatchObject({ status: 200, format: 'xlsx', twoDigitYears: 0, errors: [] });
    expect({ ...lo.hours, format: 'csv' }).toEqual(original.hours);
    expect(lo.progress).toEqual(original.progress);
    expect(lo.export).toBe(original.export);
    expect(lo.marcheRows).toEqual(original.marcheRows);
    expect(lo.people).toEqual(original.people);
  });
});
