import type { Readable } from 'node:stream';
import type { CellValue } from 'exceljs';
import { CsvFileError, finish, headerIndex, type CsvRow } from './csv.js';

// Reader of .xlsx workbooks for the imports: the first sheet, the same columns as the CSV
// files. Spreadsheets type their cells, so each cell is read by its column's meaning and
// given to the row parsers as the text a person would have typed: a SIRET stored as a
// number gets its 14 digits back (leading zeros included), a Département code its two, a
// date cell becomes its calendar date (no time-zone shift: cells hold days, read in UTC), a
// month cell its month, a number of hours is rounded to the hundredth (a formula's 151,666…
// shown as 151,67). exceljs is loaded only when a workbook arrives (its load time is long).

/** What a column holds, to read a typed cell back. */
export type ColumnKind = 'text' | 'date' | 'month' | 'decimal' | 'siret' | 'code2';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const isoDate = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** A spreadsheet day number (1900 date system: 1 = 01/01/1900, 25569 = 01/01/1970) as a date. */
function serialDate(n: number): Date | null {
  if (!Number.isFinite(n) || n < 61 || n >= 2958466) return null;
  return new Date(Date.UTC(1899, 11, 30) + Math.floor(n) * 86_400_000);
}

/** The text of a cell as its column expects it (exported for tests). */
export function cellText(v: CellValue | undefined, kind: ColumnKind): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return kind === 'month' ? isoDate(v).slice(0, 7) : isoDate(v);
  if (typeof v === 'number') {
    switch (kind) {
      case 'date':
      case 'month': {
        const d = serialDate(v);
        return d ? cellText(d, kind) : String(v);
      }
      case 'decimal':
        return String(Math.round(v * 100) / 100);
      case 'siret':
        return Number.isInteger(v) && v >= 0 ? pad(v, 14) : String(v);
      case 'code2':
        return Number.isInteger(v) && v >= 0 ? pad(v, 2) : String(v);
      default:
        return String(v);
    }
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'VRAI' : 'FAUX';
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('result' in v) return cellText(v.result as CellValue, kind);
  if ('text' in v) return cellText(v.text as CellValue, kind);
  if ('error' in v) return String(v.error);
  return '';
}

class XlsxRow implements CsvRow {
  constructor(
    readonly line: number,
    private readonly values: CellValue[],
    private readonly index: Map<string, number>,
    private readonly kinds: Record<string, ColumnKind>,
  ) {}
  get(column: string): string {
    const i = this.index.get(column);
    return i === undefined ? '' : cellText(this.values[i + 1], this.kinds[column] ?? 'text');
  }
}

const isBlank = (values: CellValue[]) => values.every((v) => cellText(v, 'text').trim() === '');

/**
 * Reads the first sheet of a workbook as a stream (rows are handed over one at a time);
 * the other sheets are read through and ignored. Throws CsvFileError for a workbook that
 * cannot be read or has no header or data.
 */
export async function readXlsx(
  source: Readable,
  required: readonly string[],
  kinds: Record<string, ColumnKind>,
  onRow: (row: CsvRow) => void,
): Promise<{ rows: number }> {
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let index: Map<string, number> | null = null;
  let rows = 0;
  let sheets = 0;
  let inRow = false;
  try {
    for await (const sheet of reader) {
      const first = sheets++ === 0;
      for await (const row of sheet) {
        if (!first) continue;
        const values = (row as unknown as { values: CellValue[] }).values;
        if (isBlank(values)) continue;
        if (!index)
          index = headerIndex(
            values.slice(1).map((v) => cellText(v, 'text')),
            row.number,
            required,
          );
        else {
          rows++;
          inRow = true;
          onRow(new XlsxRow(row.number, values, index, kinds));
          inRow = false;
        }
      }
    }
  } catch (e) {
    if (inRow || e instanceof CsvFileError) throw e;
    throw new CsvFileError([
      {
        line: 0,
        column: '',
        message:
          'Le classeur .xlsx est illisible (fichier abîmé, ou autre format renommé en .xlsx) : enregistrez-le de nouveau depuis votre tableur.',
      },
    ]);
  }
  if (!sheets)
    throw new CsvFileError([{ line: 0, column: '', message: 'Le classeur .xlsx ne contient aucune feuille.' }]);
  return { rows: finish(index, rows) };
}
