import type { Worksheet } from 'exceljs';

// CSV (semicolon, UTF-8 with BOM, CRLF, decimal comma, dates dd/MM/yyyy and months MM/yyyy:
// what French spreadsheets open) and XLSX exports of a table of rows. The XLSX cells are typed
// for the reader: dates are date cells shown jj/mm/aaaa, months date cells (the 1st) shown
// mm/aaaa, hours numbers with two decimals; the header is frozen and columns are as wide as
// their content. A totals row, when given, holds the API's totals (never a SUM formula: a
// person counted in two categories counts once in the totals). exceljs is loaded when a
// workbook is written (its load time is long).

export type ColumnKind = 'text' | 'hours' | 'int' | 'date' | 'month';

export interface Column {
  key: string;
  header: string;
  kind: ColumnKind;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_MONTH = /^(\d{4})-(\d{2})$/;

/** A cell for CSV: French decimals, dates and months. */
export function frenchText(v: unknown, kind: ColumnKind): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  if (kind === 'hours') return s.replace('.', ',');
  if (kind === 'date') return s.replace(ISO_DATE, '$3/$2/$1');
  if (kind === 'month') return s.replace(ISO_MONTH, '$2/$1');
  return s;
}

const csvCell = (v: unknown, kind: ColumnKind): string => {
  const s = frenchText(v, kind);
  return /[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(columns: Column[], rows: Array<Record<string, unknown>>): string {
  const lines = [columns.map((c) => csvCell(c.header, 'text')).join(';')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c.key], c.kind)).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Number formats (codes of the file format; a French spreadsheet shows them as jj/mm/aaaa…). */
export const NUM_FMT: Record<ColumnKind, string | undefined> = {
  text: '@',
  hours: '#,##0.00',
  int: '#,##0',
  date: 'dd/mm/yyyy',
  month: 'mm/yyyy',
};

/** The value of an XLSX cell: dates at midnight UTC (the file format has no time zone). */
export function xlsxValue(v: unknown, kind: ColumnKind): string | number | Date | null {
  if (v === null || v === undefined || v === '') return null;
  if (kind === 'date' || kind === 'month') {
    const s = String(v);
    const d = ISO_DATE.exec(s) ?? ISO_MONTH.exec(s);
    return d ? new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3] ?? 1))) : s;
  }
  if (kind === 'hours' || kind === 'int') return typeof v === 'number' ? v : Number(String(v).replace(',', '.'));
  return String(v);
}

/** Shown width of a value, in characters, as the number formats above display it. */
function shownWidth(v: unknown, kind: ColumnKind): number {
  if (v === null || v === undefined) return 0;
  if (kind === 'date') return 10;
  if (kind === 'month') return 7;
  if (kind === 'hours' || kind === 'int') {
    const n = Math.abs(Number(v));
    const digits = String(Math.trunc(n)).length;
    return digits + Math.floor((digits - 1) / 3) + (kind === 'hours' ? 3 : 0) + (Number(v) < 0 ? 1 : 0);
  }
  return String(v).length;
}

/** Column widths that fit the header and the sample rows (bounded: a long title wraps the view). */
export function fitWidths(columns: Column[], sample: Array<Record<string, unknown>>): number[] {
  return columns.map((c) => {
    let w = c.header.length;
    for (const r of sample) w = Math.max(w, shownWidth(r[c.key], c.kind));
    return Math.min(60, Math.max(8, w + 2));
  });
}

/** Header row: bold, frozen, with a filter; columns typed and sized. */
export function layoutSheet(ws: Worksheet, columns: Column[], widths: number[]): void {
  ws.columns = columns.map((c, i) => ({
    header: c.header,
    key: c.key,
    width: widths[i],
    style: NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind] } : {},
  }));
  ws.getRow(1).font = { bold: true };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

/** Sheet options: header frozen; printed landscape, one page wide (a PDF of the sheet reads in one piece). */
export const SHEET_OPTIONS = {
  views: [{ state: 'frozen' as const, ySplit: 1, xSplit: 0 }],
  pageSetup: {
    orientation: 'landscape' as const,
    paperSize: 9, // A4
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: '1:1',
  },
};

const typedRow = (columns: Column[], r: Record<string, unknown>) =>
  Object.fromEntries(columns.map((c) => [c.key, xlsxValue(r[c.key], c.kind)]));

export async function toXlsx(
  sheetName: string,
  columns: Column[],
  rows: Array<Record<string, unknown>>,
  totals?: Record<string, unknown>,
): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Registre des heures d’insertion';
  wb.created = new Date(0); // stable bytes: the content, not the export time, matters
  wb.modified = new Date(0);
  const ws = wb.addWorksheet(sheetName.slice(0, 31), SHEET_OPTIONS);
  layoutSheet(ws, columns, fitWidths(columns, totals ? [...rows, totals] : rows));
  for (const r of rows) ws.addRow(typedRow(columns, r));
  if (totals) {
    const row = ws.addRow(typedRow(columns, { ...totals, [columns[0].key]: 'Total' }));
    row.font = { bold: true };
    row.getCell(1).numFmt = '@';
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
