import express, { Router, type Request, type Response } from 'express';
import type { Actor } from '../accounts/actor.js';
import { listCites } from '../cites/cites.service.js';
import type { AppContext } from '../context.js';
import { listContracts } from '../contracts/contracts.service.js';
import { formatHoursFr } from '../lib/hours.js';
import { formatMonthFr } from '../lib/html.js';
import { marchePatch, newMarche } from '../marches/marches.routes.js';
import { createMarche, getMarche, listMarches, marcheActivity, updateMarche } from '../marches/marches.service.js';
import { marcheCompliance } from '../reports/compliance.service.js';
import { columnChart } from './charts.js';
import { ALL, type FieldErrors, formValues, pageOf, pagerOf, parseForm, serviceErrors } from './forms.js';
import { actorOf, csrfCheck } from './guard.js';
import { sendPage } from './render.js';

// Marchés: the list (search, cité), the creation form (admins and facilitators, on the cités
// of their scope) and a marché's page: its clause's compliance, contracts and hours by month.

const str = (v: unknown) => (typeof v === 'string' ? v : '');

async function showForm(
  ctx: AppContext,
  res: Response,
  values: Record<string, unknown>,
  errors: FieldErrors = {},
  editing: string | null = null,
) {
  const cites = (await listCites(ctx, {}, ALL)).items;
  const { _: general, ...fieldErrors } = errors;
  sendPage(
    res,
    'marche-form.njk',
    {
      title: editing ? `Modifier le marché ${editing}` : 'Nouveau marché',
      breadcrumbs: [
        { href: '/espace', label: 'Accueil' },
        { href: '/marches', label: 'Marchés' },
        ...(editing ? [{ href: `/marches/${encodeURIComponent(editing)}`, label: editing }] : []),
        { label: editing ? 'Modifier' : 'Nouveau' },
      ],
      editing,
      cites: cites.map((c) => ({ value: c.code, label: `${c.name} (${c.commune})` })),
      v: values,
      errors: fieldErrors,
      general: general ? [general] : [],
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

export function marchesRoutes(ctx: AppContext): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '50kb' });

  r.get('/marches', async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator', 'contractor');
    const q = { q: str(req.query.q), cite: str(req.query.cite) };
    const page = await listMarches(ctx, actor, { q: q.q || undefined, cite: q.cite || undefined }, pageOf(req));
    const items = page.items;
    const pager = pagerOf(page, req, '/marches', q);
    sendPage(res, 'marches.njk', {
      title: 'Marchés',
      breadcrumbs: [{ href: '/espace', label: 'Accueil' }, { label: 'Marchés' }],
      items,
      pager,
      q,
      cites: (await listCites(ctx, {}, ALL)).items.map((c) => ({ value: c.code, label: c.name })),
      canCreate: actor.role !== 'contractor',
      flash: req.query.ok === 'cree' ? 'Marché créé.' : undefined,
    });
  });

  r.get('/marches/nouveau', async (req, res) => {
    actorOf(req, 'admin', 'facilitator');
    await showForm(ctx, res, {});
  });
  r.post('/marches/nouveau', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const values = formValues(req.body);
    const p = parseForm(newMarche, values);
    if (!p.ok) return showForm(ctx, res, values, p.errors);
    try {
      const m = await createMarche(ctx, actor, {
        ...p.data,
        amountCents: p.data.amountEur,
        requiredCentihours: p.data.requiredHours,
      });
      res.redirect(303, `/marches/${encodeURIComponent(m.ref)}?ok=cree`);
    } catch (e) {
      await showForm(
        ctx,
        res,
        values,
        serviceErrors(e, {
          ref: 'ref',
          marche: 'ref',
          cite: 'citeCode',
          contractor: 'contractorName',
          dates: 'endDate',
        }),
      );
    }
  });

  const frDate = (d: string) => d.split('-').reverse().join('/');
  const frNumber = (n: number) => String(n).replace('.', ',');
  r.get('/marches/:ref/modifier', async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const m = await getMarche(ctx, actor, String(req.params.ref));
    await showForm(
      ctx,
      res,
      {
        citeCode: m.cite,
        title: m.title,
        contractorSiret: m.contractor.siret,
        amountEur: frNumber(m.amountEur),
        requiredHours: frNumber(m.requiredHours),
        startDate: frDate(m.startDate),
        endDate: frDate(m.endDate),
      },
      {},
      m.ref,
    );
  });
  r.post('/marches/:ref/modifier', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const ref = String(req.params.ref);
    const values = formValues(req.body);
    const p = parseForm(marchePatch, values);
    if (!p.ok) return showForm(ctx, res, values, p.errors, ref);
    const { amountEur, requiredHours, ...rest } = p.data;
    try {
      await updateMarche(ctx, actor, ref, { ...rest, amountCents: amountEur, requiredCentihours: requiredHours });
      res.redirect(303, `/marches/${encodeURIComponent(ref)}?ok=modifie`);
    } catch (e) {
      await showForm(
        ctx,
        res,
        values,
        serviceErrors(e, { cite: 'citeCode', contractor: 'contractorName', dates: 'endDate' }),
        ref,
      );
    }
  });

  r.get('/marches/:ref', async (req: Request, res) => {
    const actor: Actor = actorOf(req);
    const ref = String(req.params.ref);
    const c = await marcheCompliance(ctx, actor, ref); // 404 for whoever may not read it
    const [activity, contracts] = await Promise.all([
      marcheActivity(ctx, actor, ref),
      listContracts(ctx, actor, { marche: ref }, ALL),
    ]);
    sendPage(res, 'marche.njk', {
      title: `Marché ${c.marche.ref}`,
      breadcrumbs: [
        { href: '/espace', label: 'Accueil' },
        ...(actor.role === 'departement' ? [] : [{ href: '/marches', label: 'Marchés' }]),
        { label: c.marche.ref },
      ],
      flash: req.query.ok === 'cree' ? 'Marché créé.' : undefined,
      c,
      contracts: contracts.items.map((k) => ({ ...k, hours: activity.byContract[k.ref] ?? 0 })),
      months: activity.months,
      citeName: activity.citeName,
      chart: columnChart(
        activity.months.map((m) => ({
          label: formatMonthFr(m.month),
          value: m.hours,
          text: formatHoursFr(Math.round(m.hours * 100)),
        })),
        `Heures réalisées par mois sur le marché ${c.marche.ref}`,
        { colW: 56, gap: 10 },
      ),
      canIssue: actor.role === 'admin' || actor.role === 'facilitator',
      canSeeContracts: actor.role !== 'departement',
    });
  });
  return r;
}
