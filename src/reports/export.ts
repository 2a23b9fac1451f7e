import ExcelJS from 'exceljs';

// CSV (semicolon, UTF-8 with BOM, CRLF, decimal comma: what French spreadsheets open) and
// XLSX exports of a table of report rows.

export interface Column {
  key: string;
  header: string;
  kind: 'text' | 'hours' | 'int';
}

const csvCell = (v: unknown, kind: Column['kind']): string => {
  if (v === null || v === undefined) return '';
  const s = kind === 'hours' ? String(v).replace('.', ',') : String(v);
  return /[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(columns: Column[], rows: Array<Record<string, unknown>>): string {
  const lines = [columns.map((c) => csvCell(c.header, 'text')).join(';')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c.key], c.kind)).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function toXlsx(
  sheetName: string,
  columns: Column[],
  rows: Array<Record<string, unknown>>,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Registre des heures d’insertion';
  wb.created = new Date(0); // stable bytes: the content, not the export time, matters
  wb.modified = new Date(0);
  const ws = wb.addWorksheet(sheetName.slice(0, 31));
  ws.columns = columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: Math.max(12, c.header.length + 2),
    style: c.kind === 'hours' ? { numFmt: '#,##0.00' } : c.kind === 'int' ? { numFmt: '0' } : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(Object.fromEntries(columns.map((c) => [c.key, r[c.key] ?? null])));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
