import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { breakdown, breakdownColumns, breakdownFileName } from './breakdown.service.js';
import { marcheCompliance, contractorCompliance } from './compliance.service.js';
import { rsaReport } from './rsa.service.js';
import { RSA_COLUMNS, rsaFileName, rsaRows } from './rsa.export.js';
import { sendTable } from './download.js';
import { hoursQuery, rsaQuery } from './reports.schemas.js';

export function reportsRoutes(ctx: AppContext): Router {
  const r = Router();
  // Breakdowns: JSON, or ?format=csv|xlsx (also /reports/hours.csv and /reports/hours.xlsx).
  r.get(['/reports/hours', '/reports/hours.:ext'], async (req, res) => {
    const q = parse(hoursQuery, { ...req.query, ...(req.params.ext ? { format: req.params.ext } : {}) });
    const b = await breakdown(ctx, requireActor(req), q);
    if (q.format === 'json') return void res.json(b);
    await sendTable(res, q.format, breakdownFileName(b), breakdownColumns(b), b.rows, b.totals);
  });
  // The RSA report: JSON, or ?format=csv|xlsx (also /reports/rsa.csv and /reports/rsa.xlsx).
  r.get(['/reports/rsa', '/reports/rsa.:ext'], async (req, res) => {
    const q = parse(rsaQuery, { ...req.query, ...(req.params.ext ? { format: req.params.ext } : {}) });
    const report = await rsaReport(ctx, requireActor(req), q);
    if (q.format === 'json') return void res.json(report);
    await sendTable(res, q.format, rsaFileName(report), RSA_COLUMNS, rsaRows(report));
  });
  r.get('/marches/:ref/compliance', async (req, res) => {
    res.json(await marcheCompliance(ctx, requireActor(req), req.params.ref));
  });
  r.get('/contractors/:siret/compliance', async (req, res) => {
    res.json(await contractorCompliance(ctx, requireActor(req), req.params.siret));
  });
  return r;
}
