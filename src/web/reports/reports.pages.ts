import express, { Router, type Request } from 'express';
import type { Actor } from '../../accounts/actor.js';
import { issueBody } from '../../attestations/attestations.routes.js';
import { issueAttestation } from '../../attestations/attestations.service.js';
import type { AppContext } from '../../context.js';
import { DEPARTEMENTS } from '../../core/fields.js';
import { parse } from '../../core/validate.js';
import { normaliseMonth } from '../../lib/dates.js';
import { formatMonthFr } from '../../lib/html.js';
import { breakdown, breakdownColumns, breakdownFileName } from '../../reports/breakdown.service.js';
import { sendTable } from '../../reports/download.js';
import { hoursQuery, rsaQuery } from '../../reports/reports.schemas.js';
import { RSA_COLUMNS, rsaFileName, rsaRows } from '../../reports/rsa.export.js';
import { rsaReport } from '../../reports/rsa.service.js';
import { appFieldErrors, blankToUndefined, type FieldErrors, isAppError, zodFieldErrors } from '../form-errors.js';
import { actorOf, csrfCheck } from '../guard.js';
import { sendPage } from '../render.js';
import { breakdownView, dimensionOptions, PAGE_DIMENSIONS } from './breakdown.view.js';
import { DEPARTEMENT_NAMES, queryString, rsaView } from './rsa.view.js';

// The report pages: /rapports/rsa (a Département's RSA report, its chart, its downloads and,
// for who may, "Délivrer l'attestation RSA") and /rapports (the hours breakdowns). They call
// the services of /api/v1/reports with the same schemas: the same rules, the same figures.

const READERS = ['admin', 'facilitator', 'departement'] as const;
const ISSUERS: Actor['role'][] = ['admin', 'facilitator'];
const ATTESTATION_NUMBER = /^ATT-\d{4}-\d{6}$/;

/** A month as the form shows it back: mm/aaaa when it reads as a month, else as typed. */
const monthText = (s: string | undefined) => {
  if (!s) return '';
  const m = normaliseMonth(s);
  return m ? formatMonthFr(m) : s;
};

/** The Département of the report: its own for a Département account, else the one asked (62 by default). */
const departementOf = (actor: Actor, asked: string | undefined) =>
  actor.role === 'departement' ? (actor.departementCode ?? '') : (asked ?? '62');

function rsaInput(req: Request, actor: Actor) {
  const q = blankToUndefined(req.query);
  return { departement: departementOf(actor, q.departement), from: q.from, to: q.to };
}

export function reportPages(ctx: AppContext): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '10kb' });

  async function showRsa(
    req: Request,
    res: Parameters<typeof sendPage>[0],
    input: ReturnType<typeof rsaInput>,
    o: { attestationErrors?: FieldErrors; attestationValues?: Record<string, string | undefined> } = {},
  ) {
    const actor = actorOf(req, ...READERS);
    const canIssue = ISSUERS.includes(actor.role);
    const parsed = rsaQuery.safeParse(input);
    let errors: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error);
    let view = null;
    if (parsed.success) {
      try {
        view = rsaView(await rsaReport(ctx, actor, parsed.data));
      } catch (e) {
        if (!isAppError(e, 'invalid_period', 'validation_failed')) throw e;
        errors = appFieldErrors(e, 'to');
      }
    }
    const issued = typeof req.query.attestation === 'string' ? req.query.attestation : '';
    const status = Object.keys(errors).length || o.attestationErrors ? 400 : 200;
    sendPage(
      res,
      'reports/rsa.njk',
      {
        title: view?.heading ?? 'Rapport RSA',
        view,
        errors,
        values: { departement: input.departement, from: monthText(input.from), to: monthText(input.to) },
        chooseDepartement: actor.role !== 'departement',
        departements: DEPARTEMENTS.map((d) => ({ value: d, label: `${DEPARTEMENT_NAMES[d]} (${d})` })),
        canIssue,
        attestation: {
          errors: o.attestationErrors ?? {},
          from: o.attestationValues?.from ?? monthText(input.from),
          to: o.attestationValues?.to ?? monthText(input.to),
        },
        issued: ATTESTATION_NUMBER.test(issued) ? issued : null,
      },
      status,
    );
  }

  r.get('/rapports/rsa', (req, res) => showRsa(req, res, rsaInput(req, actorOf(req, ...READERS))));

  // Downloads: the API's export of the same report (the page's links carry the filter).
  r.get('/rapports/rsa.:ext', async (req, res, next) => {
    if (!['csv', 'xlsx'].includes(req.params.ext)) return next();
    const actor = actorOf(req, ...READERS);
    const q = parse(rsaQuery, { ...rsaInput(req, actor), format: req.params.ext });
    const report = await rsaReport(ctx, actor, q);
    await sendTable(res, q.format as 'csv' | 'xlsx', rsaFileName(report), RSA_COLUMNS, rsaRows(report));
  });

  // "Délivrer l'attestation RSA": the attestation service, then back to the report (PRG).
  r.post('/rapports/rsa/attestation', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, ...ISSUERS);
    const body = blankToUndefined(req.body);
    const departement = departementOf(actor, body.departement);
    // The page keeps the report's filter; the attestation's own fields are re-shown on error.
    const report = { departement, from: body.reportFrom, to: body.reportTo };
    const input = issueBody.safeParse({ kind: 'rsa', departement, from: body.from, to: body.to });
    if (!input.success)
      return showRsa(req, res, report, {
        attestationErrors: zodFieldErrors(input.error, 'from'),
        attestationValues: body,
      });
    try {
      const issued = await issueAttestation(ctx, actor, input.data);
      const back = queryString({
        departement,
        from: body.reportFrom,
        to: body.reportTo,
        attestation: issued.number,
      });
      res.redirect(303, `/rapports/rsa${back}`);
    } catch (e) {
      if (!isAppError(e, 'invalid_period', 'validation_failed', 'unknown_reference')) throw e;
      return showRsa(req, res, report, { attestationErrors: appFieldErrors(e, 'from'), attestationValues: body });
    }
  });

  function hoursInput(req: Request) {
    const q = blankToUndefined(req.query);
    // `groupBy=a,b` (the API's name) also works: links written for the API open here.
    const [first, second] = (q.groupBy ?? '').split(',').map((x) => x.trim());
    const par = q.par ?? (first || 'cite');
    const puis = q.par ? q.puis : q.puis || second || undefined;
    return { par, puis, from: q.from, to: q.to, groupBy: [par, puis].filter(Boolean).join(',') };
  }

  r.get('/rapports', async (req, res) => {
    const actor = actorOf(req, ...READERS);
    const input = hoursInput(req);
    const parsed = hoursQuery.safeParse({ groupBy: input.groupBy, from: input.from, to: input.to });
    let errors: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error);
    let view = null;
    if (parsed.success) {
      try {
        view = breakdownView(await breakdown(ctx, actor, parsed.data));
      } catch (e) {
        if (!isAppError(e, 'invalid_period', 'validation_failed')) throw e;
        errors = appFieldErrors(e, e.code === 'invalid_period' ? 'to' : 'par');
      }
    }
    if (errors.groupBy) errors.par = errors.groupBy;
    sendPage(
      res,
      'reports/hours.njk',
      {
        title: view?.heading ?? 'Rapports',
        view,
        errors,
        values: { par: input.par, puis: input.puis ?? '', from: monthText(input.from), to: monthText(input.to) },
        dimensions: dimensionOptions(),
        shortcuts: PAGE_DIMENSIONS.slice(0, 9).map((d) => ({
          href: `/rapports${queryString({ par: d, from: input.from, to: input.to })}`,
          label: dimensionOptions().find((o) => o.value === d)?.label ?? d,
          current: d === input.par && !input.puis,
        })),
      },
      Object.keys(errors).length ? 400 : 200,
    );
  });

  r.get('/rapports/heures.:ext', async (req, res, next) => {
    if (!['csv', 'xlsx'].includes(req.params.ext)) return next();
    const actor = actorOf(req, ...READERS);
    const q = parse(hoursQuery, { ...blankToUndefined(req.query), format: req.params.ext });
    const b = await breakdown(ctx, actor, q);
    await sendTable(res, q.format as 'csv' | 'xlsx', breakdownFileName(b), breakdownColumns(b), b.rows);
  });
  return r;
}
