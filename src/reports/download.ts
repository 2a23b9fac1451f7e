import type { Response } from 'express';
import { toCsv, toXlsx, XLSX_TYPE, type Column } from './export.js';

/** Sends a table of report rows as a CSV or XLSX attachment (API and web pages alike). */
export async function sendTable(
  res: Response,
  fmt: 'csv' | 'xlsx',
  name: string,
  columns: Column[],
  rows: Array<Record<string, unknown>>,
  totals?: Record<string, unknown>,
): Promise<void> {
  if (fmt === 'csv') {
    res.type('text/csv; charset=utf-8').attachment(`${name}.csv`).send(toCsv(columns, rows));
  } else {
    res
      .type(XLSX_TYPE)
      .attachment(`${name}.xlsx`)
      .send(await toXlsx(name, columns, rows, totals));
  }
}
