import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { departementField, monthField } from '../core/fields.js';
import { breakdown, breakdownColumns } from './breakdown.service.js';
import { marcheCompliance, contractorCompliance } from './compliance.service.js';
import { rsaReport } from './rsa.service.js';
import { toCsv, toXlsx, XLSX_TYPE, type Column } from './export.js';

const period = { from: monthField.optional(), to: monthField.optional() };
const format = z.enum(['json', 'csv', 'xlsx'], { error: 'Format inconnu (json, csv ou xlsx).' }).default('json');

const hoursQuery = z.object({
  programme: z.string().trim().min(1).default('erbm'),
  groupBy: z.string({ error: 'Regroupement obligatoire (exemple : groupBy=year,departement).' }).transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  ),
  ...period,
  format,
});

const rsaQuery = z.object({ departement: departementField, ...period });

async function send(
  res: Response,
  fmt: string,
  name: string,
  columns: Column[],
  rows: Array<Record<string, unknown>>,
  totals?: Record<string, unknown>,
) {
  if (fmt === 'csv') {
    res.type('text/csv; charset=utf-8').attachment(`${name}.csv`).send(toCsv(columns, rows));
  } else {
    res
      .type(XLSX_TYPE)
      .attachment(`${name}.xlsx`)
      .send(await toXlsx(name, columns, rows, totals));
  }
}

export function reportsRoutes(ctx: AppContext): Router {
  const r = Router();
  // Breakdowns: JSON, or ?format=csv|xlsx (also /reports/hours.csv and /reports/hours.xlsx).
  r.get(['/reports/hours', '/reports/hours.:ext'], async (req, res) => {
    const q = parse(hoursQuery, { ...req.query, ...(req.params.ext ? { format: req.params.ext } : {}) });
    const b = await breakdown(ctx, requireActor(req), q);
    if (q.format === 'json') return void res.json(b);
    await send(res, q.format, `heures-par-${q.groupBy.join('-')}`, breakdownColumns(b), b.rows, b.totals);
  });
  r.get('/reports/rsa', async (req, res) => {
    res.json(await rsaReport(ctx, requireActor(req), parse(rsaQuery, req.query)));
  });
  r.get('/marches/:ref/compliance', async (req, res) => {
    res.json(await marcheCompliance(ctx, requireActor(req), req.params.ref));
  });
  r.get('/contractors/:siret/compliance', async (req, res) => {
    res.json(await contractorCompliance(ctx, requireActor(req), req.params.siret));
  });
  return r;
}
