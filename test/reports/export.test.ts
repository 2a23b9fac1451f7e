import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { type Column, toCsv, toXlsx } from '../../src/reports/export.js';

// The report tables as spreadsheets: typed XLSX cells for the reader, French CSV.
const columns: Column[] = [
  { key: 'month', header: 'Mois', kind: 'month' },
  { key: 'category', header: 'Catégorie', kind: 'text' },
  { key: 'hours', header: 'Heures', kind: 'hours' },
  { key: 'beneficiaries', header: 'Bénéficiaires', kind: 'int' },
];
const rows = [
  { month: '2024-02', category: 'Demandeur d’emploi de longue durée', hours: 1234.5, beneficiaries: 2 },
  { month: '2024-03', category: 'RSA', hours: 151.67, beneficiaries: 1 },
];
// A person in two categories counts once: the totals are the API's, never a column sum.
const totals = { hours: 1386.17, beneficiaries: 2 };

describe('report exports', () => {
  it('writes XLSX typed for the reader: months as dates, hours with two decimals, frozen header, widths, totals', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toXlsx('heures-par-mois', columns, rows, totals)) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0];
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getRow(1).font?.bold).toBe(true);
    const first = ws.getRow(2);
    expect(first.getCell(1).value).toEqual(new Date(Date.UTC(2024, 1, 1)));
    expect(first.getCell(1).numFmt).toBe('mm/yyyy');
    expect(first.getCell(3).value).toBe(1234.5);
    expect(first.getCell(3).numFmt).toBe('#,##0.00');
    expect(ws.getColumn(2).width).toBe('Demandeur d’emploi de longue durée'.length + 2);
    expect(ws.getColumn(1).width).toBe(9); // "02/2024" and a margin
    const total = ws.getRow(4);
    expect(total.values).toEqual([undefined, 'Total', undefined, 1386.17, 2]);
    expect(total.font?.bold).toBe(true);
    expect(ws.rowCount).toBe(4);
    // Without totals, no totals row.
    const plain = new ExcelJS.Workbook();
    await plain.xlsx.load((await toXlsx('x', columns, rows)) as unknown as ExcelJS.Buffer);
    expect(plain.worksheets[0].rowCount).toBe(3);
  });

  it('writes CSV with French months and decimals', () => {
    expect(toCsv(columns, rows)).toBe(
      '\uFEFFMois;Catégorie;Heures;Bénéficiaires\r\n02/2024;Demandeur d’emploi de longue durée;1234,5;2\r\n03/2024;RSA;151,67;1\r\n',
    );
  });
});
