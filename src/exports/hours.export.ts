import type { Writable } from 'node:stream';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { canReadPeople } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { toHours } from '../lib/hours.js';
import { HOURS_COLUMNS } from '../imports/hours.parse.js';
import * as store from './exports.store.js';
import {
  type Column,
  type ColumnKind,
  fitWidths,
  frenchText,
  layoutSheet,
  SHEET_OPTIONS,
  xlsxValue,
} from '../reports/export.js';

// Export of the hours in the import format (docs/imports.md): one row per (contract, month)
// with its total, so that export then re-import changes nothing. Rows come a few hundred
// contracts at a time, so a big ledger streams out without being held in memory.

export type HoursRow = Record<(typeof HOURS_COLUMNS)[number], string | number>;

export interface ExportFilter {
  from?: string;
  to?: string;
  marche?: string;
}

const declared = (categories: string) =>
  String(categories ?? '')
    .split(',')
    .filter((c) => c && c !== 'JEUNE' && c !== 'SENIOR')
    .join(',');

/** The rows the actor may export, ordered by contract ref then month. */
export async function* hoursRows(ctx: AppContext, actor: Actor, f: ExportFilter): AsyncGenerator<HoursRow> {
  // Birth dates are personal data: only admins and facilitators (in their scope) export them.
  if (!canReadPeople(actor)) throw errors.forbidden('l’export des heures (données personnelles)');
  const contracts = await store.exportContracts(ctx.db, actor, f.marche);
  await audit(ctx.db, {
    at: nowIso(ctx),
    accountId: actor.id,
    action: 'export.hours',
    entity: 'hours',
    details: { ...f, contracts: contracts.length },
  });
  for (let i = 0; i < contracts.length; i += 500) {
    const part = contracts.slice(i, i + 500);
    const byContract = new Map<number, Array<{ month: string; centihours: number }>>();
    for (const r of await store.exportMonths(
      ctx.db,
      part.map((c) => c.id),
      f,
    )) {
      const list = byContract.get(r.contract_id) ?? [];
      list.push({ month: r.month, centihours: r.centihours });
      byContract.set(r.contract_id, list);
    }
    for (const c of part) {
      for (const m of (byContract.get(c.id) ?? []).sort((a, b) => (a.month < b.month ? -1 : 1))) {
        yield {
          marche_ref: c.marche_ref,
          contract_ref: c.ref,
          participant_ref: c.participant_ref,
          birth_date: c.birth_date,
          sex: c.sex,
          categories: declared(c.categories),
          rsa_departement: c.rsa_departement ?? '',
          employer_siret: c.employer_siret,
          contract_type: c.contract_type,
          mode: c.mode,
          contract_start: c.start_date,
          contract_end: c.end_date,
          month: m.month,
          hours: toHours(m.centihours),
        };
      }
    }
  }
}

/** What each column holds: typed cells in XLSX, French forms in CSV (the import reads both). */
const KIND: Partial<Record<(typeof HOURS_COLUMNS)[number], ColumnKind>> = {
  birth_date: 'date',
  contract_start: 'date',
  contract_end: 'date',
  month: 'month',
  hours: 'hours',
};
const COLUMNS: Column[] = HOURS_COLUMNS.map((c) => ({ key: c, header: c, kind: KIND[c] ?? 'text' }));

const csvCell = (v: string | number, kind: ColumnKind): string => {
  const s = frenchText(v, kind);
  return /[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV as spreadsheets open it: UTF-8 with BOM, semicolons, CRLF, decimal comma, dd/MM/yyyy, MM/yyyy. */
export async function writeHoursCsv(rows: AsyncIterable<HoursRow>, out: Writable): Promise<void> {
  let buf = `\uFEFF${HOURS_COLUMNS.join(';')}\r\n`;
  for await (const r of rows) {
    buf += COLUMNS.map((c) => csvCell(r[c.key as keyof HoursRow], c.kind)).join(';') + '\r\n';
    if (buf.length > 64 * 1024) {
      if (!out.write(buf)) await new Promise((ok) => out.once('drain', ok));
      buf = '';
    }
  }
  out.end(buf);
}

const SAMPLE_ROWS = 500;

/**
 * XLSX with the same columns, typed (dates, months as dates, hours as numbers), written as a
 * stream; the first rows are held back a moment to size the columns.
 */
export async function writeHoursXlsx(rows: AsyncIterable<HoursRow>, out: Writable): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  wb.creator = 'Registre des heures d’insertion';
  wb.created = new Date(0); // stable bytes: the content, not the export time, matters
  wb.modified = new Date(0);
  const ws = wb.addWorksheet('Heures', SHEET_OPTIONS);
  const it = rows[Symbol.asyncIterator]();
  const sample: HoursRow[] = [];
  let next = await it.next();
  for (; !next.done && sample.length < SAMPLE_ROWS; next = await it.next()) sample.push(next.value);
  layoutSheet(ws, COLUMNS, fitWidths(COLUMNS, sample));
  const add = (r: HoursRow) =>
    ws.addRow(Object.fromEntries(COLUMNS.map((c) => [c.key, xlsxValue(r[c.key as keyof HoursRow], c.kind)]))).commit();
  for (const r of sample) add(r);
  for (; !next.done; next = await it.next()) add(next.value);
  ws.commit();
  await wb.commit();
}
