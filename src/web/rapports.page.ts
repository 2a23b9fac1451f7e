import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import type { AppContext } from '../context.js';
import { errors } from '../core/errors.js';
import { monthField } from '../core/fields.js';
import { formatHoursFr } from '../lib/hours.js';
import { formatIntFr, formatMonthFr } from '../lib/html.js';
import { breakdown, breakdownColumns, GROUP_BY_VALUES, TIME_LABELS } from '../reports/breakdown.service.js';
import { DIMENSION_BY_CODE } from '../reports/dimensions.js';
import { toCsv, toXlsx, XLSX_TYPE, type Column } from '../reports/export.js';
import { rsaReport } from '../reports/rsa.service.js';
import { columnChart } from './charts.js';
import { actorOf, DEPARTEMENT_NAMES } from './guard.js';
import { sendPage } from './render.js';

// Reports: the RSA report of a Département (/rapports/rsa) and the breakdowns of the hours
// (/rapports), each with CSV and XLSX downloads of what the page shows. The same services as
// GET /api/v1/reports/rsa and /reports/hours.

const blank = z.literal('').transform(() => undefined);
const periodQuery = z.object({
  from: monthField.optional().or(blank),
  to: monthField.optional().or(blank),
  departement: z.enum(['59', '62']).optional().or(blank),
  groupBy: z.string().optional(),
});

function period(req: Request) {
  const q = periodQuery.safeParse(req.query);
  if (!q.success) throw errors.invalidInput('Période invalide : saisissez les mois au format mm/aaaa.');
  return q.data;
}

const qs = (o: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(o).filter((e): e is [string, string] => !!e[1])).toString();

async function send(res: Response, ext: string, name: string, columns: Column[], rows: Array<Record<string, unknown>>) {
  if (ext === 'csv') res.type('text/csv; charset=utf-8').attachment(`${name}.csv`).send(toCsv(columns, rows));
  else
    res
      .type(XLSX_TYPE)
      .attachment(`${name}.xlsx`)
      .send(await toXlsx(name, columns, rows));
}

const RSA_COLUMNS: Column[] = [
  { key: 'monthText', header: 'Mois', kind: 'text' },
  { key: 'hours', header: 'Heures', kind: 'hours' },
  { key: 'beneficiaries', header: 'Bénéficiaires du RSA', kind: 'int' },
  { key: 'newBeneficiaries', header: 'Nouveaux bénéficiaires', kind: 'int' },
  { key: 'newContracts', header: 'Contrats commencés', kind: 'int' },
];

const departementOf = (actor: Actor, asked?: string) =>
  actor.role === 'departement' ? (actor.departementCode ?? '') : (asked ?? '62');

export function rapportsRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get(['/rapports/rsa', '/rapports/rsa.:ext'], async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator', 'departement');
    const ext = req.params.ext;
    if (ext && ext !== 'csv' && ext !== 'xlsx') throw errors.routeNotFound(req.method, req.path);
    const p = period(req);
    const departement = departementOf(actor, p.departement);
    const report = await rsaReport(ctx, actor, { departement, from: p.from, to: p.to });
    const rows = report.byMonth.map((m) => ({ ...m, monthText: formatMonthFr(m.month) }));
    if (ext) return send(res, ext, `rapport-rsa-${departement}`, RSA_COLUMNS, rows);
    const query = qs({ departement, from: p.from, to: p.to });
    sendPage(res, 'rapport-rsa.njk', {
      title: `Rapport RSA — ${DEPARTEMENT_NAMES[departement]} (${departement})`,
      breadcrumbs: [{ href: '/espace', label: 'Accueil' }, { label: 'Rapport RSA' }],
      report,
      departement,
      departementName: DEPARTEMENT_NAMES[departement],
      chooseDepartement: actor.role !== 'departement',
      from: p.from ? formatMonthFr(p.from) : '',
      to: p.to ? formatMonthFr(p.to) : '',
      fromIso: p.from ?? '',
      toIso: p.to ?? '',
      csvUrl: `/rapports/rsa.csv?${query}`,
      xlsxUrl: `/rapports/rsa.xlsx?${query}`,
      hoursChart: columnChart(
        report.byMonth.map((m) => ({
          label: formatMonthFr(m.month),
          value: m.hours,
          text: formatHoursFr(Math.round(m.hours * 100)).replace(/,\d+/, ''),
        })),
        'Heures des bénéficiaires du RSA par mois',
        { colW: 56, gap: 10 },
      ),
      peopleChart: columnChart(
        report.byMonth.map((m) => ({
          label: formatMonthFr(m.month),
          value: m.beneficiaries,
          text: formatIntFr(m.beneficiaries),
        })),
        'Bénéficiaires du RSA avec des heures, par mois',
        { colW: 56, gap: 10 },
      ),
      canIssue: actor.role === 'admin' || actor.role === 'facilitator',
    });
  });

  r.get(['/rapports', '/rapports/heures.:ext'], async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator', 'departement');
    const ext = req.params.ext;
    if (ext && ext !== 'csv' && ext !== 'xlsx') throw errors.routeNotFound(req.method, req.path);
    const p = period(req);
    const groupBy = GROUP_BY_VALUES.includes(p.groupBy ?? '') ? (p.groupBy as string) : 'cite';
    const b = await breakdown(ctx, actor, { programme: 'erbm', groupBy: [groupBy], from: p.from, to: p.to });
    if (ext) return send(res, ext, `heures-par-${groupBy}`, breakdownColumns(b), b.rows);
    const query = qs({ groupBy, from: p.from, to: p.to });
    const labelOf = (g: string) => TIME_LABELS[g] ?? DIMENSION_BY_CODE.get(g)?.label ?? g;
    sendPage(res, 'rapports.njk', {
      title: `Rapports — heures par ${labelOf(groupBy).toLowerCase()}`,
      breadcrumbs: [{ href: '/espace', label: 'Accueil' }, { label: 'Rapports' }],
      b,
      groupBy,
      groupLabel: labelOf(groupBy),
      dims: GROUP_BY_VALUES.map((g) => ({
        code: g,
        label: labelOf(g),
        href: `/rapports?${qs({ groupBy: g, from: p.from, to: p.to })}`,
      })),
      rows: b.rows.map((row) => ({
        label: String(row[`${groupBy}Label`] ?? row[groupBy] ?? ''),
        code: row[groupBy],
        hours: row.hours,
        beneficiaries: row.beneficiaries,
        contracts: row.contracts,
      })),
      from: p.from ? formatMonthFr(p.from) : '',
      to: p.to ? formatMonthFr(p.to) : '',
      csvUrl: `/rapports/heures.csv?${query}`,
      xlsxUrl: `/rapports/heures.xlsx?${query}`,
    });
  });
  return r;
}
