import express, { Router, type Request, type Response } from 'express';
import type { Actor } from '../accounts/actor.js';
import type { AppContext } from '../context.js';
import { CATEGORY_LABELS, DECLARED_CATEGORIES } from '../contracts/categories.js';
import { newContract } from '../contracts/contracts.routes.js';
import { createContract, getContract, listContracts } from '../contracts/contracts.service.js';
import { CONTRACT_TYPES, MODES } from '../core/fields.js';
import { contractLedger } from '../hours/hours.service.js';
import { listMarches } from '../marches/marches.service.js';
import { ALL, type FieldErrors, formValues, pageOf, pagerOf, parseForm, serviceErrors } from './forms.js';
import { actorOf, csrfCheck } from './guard.js';
import { sendPage } from './render.js';
import { accountNames } from './web.store.js';

// Contracts: the list (search, marché, status), the creation form (categories at the start,
// JEUNE/SENIOR computed from the birth date, never typed) and a contract's ledger history.

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const STATUSES = [
  { value: 'active', label: 'En cours ou à venir' },
  { value: 'ended', label: 'Terminé' },
] as const;
const STATUS_LABELS = { en_cours: 'En cours', a_venir: 'À venir', termine: 'Terminé' };
const statusOf = (c: { startDate: string; endDate: string }, today: string) =>
  c.startDate > today ? 'a_venir' : c.endDate < today ? 'termine' : 'en_cours';

async function showForm(
  ctx: AppContext,
  res: Response,
  actor: Actor,
  v: Record<string, unknown>,
  errors: FieldErrors = {},
) {
  const { _: general, ...fieldErrors } = errors;
  const checked = new Set(Array.isArray(v.categories) ? v.categories : v.categories ? [v.categories] : []);
  sendPage(
    res,
    'contrat-form.njk',
    {
      title: 'Nouveau contrat',
      breadcrumbs: [
        { href: '/espace', label: 'Accueil' },
        { href: '/contrats', label: 'Contrats' },
        { label: 'Nouveau' },
      ],
      v,
      errors: fieldErrors,
      general: general ? [general] : [],
      marches: (await listMarches(ctx, actor, {}, ALL)).items.map((m) => ({
        value: m.ref,
        label: `${m.ref} — ${m.title}`,
      })),
      types: CONTRACT_TYPES.map((t) => ({ value: t, label: t })),
      modes: MODES.map((m) => ({ value: m, label: m })),
      departements: [
        { value: '59', label: 'Nord (59)' },
        { value: '62', label: 'Pas-de-Calais (62)' },
      ],
      categories: DECLARED_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c], checked: checked.has(c) })),
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

export function contratsRoutes(ctx: AppContext): Router {
  const r = Router();
  const form = express.urlencoded({ extended: true, limit: '20kb' });

  r.get('/contrats', async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const q = { q: str(req.query.q), marche: str(req.query.marche), statut: str(req.query.statut) };
    const today = ctx.clock().toISOString().slice(0, 10);
    const status = STATUSES.find((s) => s.value === q.statut)?.value;
    const page = await listContracts(
      ctx,
      actor,
      { q: q.q || undefined, marche: q.marche || undefined, status },
      pageOf(req),
    );
    const items = page.items.map((c) => ({ ...c, status: statusOf(c, today) }));
    const pager = pagerOf(page, req, '/contrats', q);
    sendPage(res, 'contrats.njk', {
      title: 'Contrats',
      breadcrumbs: [{ href: '/espace', label: 'Accueil' }, { label: 'Contrats' }],
      items,
      pager,
      q,
      statuses: STATUSES,
      statusLabels: STATUS_LABELS,
    });
  });

  r.get('/contrats/nouveau', async (req: Request, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    await showForm(ctx, res, actor, formValues(req.query));
  });
  r.post('/contrats/nouveau', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const values = formValues(req.body);
    const p = parseForm(newContract, values);
    if (!p.ok) return showForm(ctx, res, actor, values, p.errors);
    try {
      const c = await createContract(ctx, actor, p.data);
      res.redirect(303, `/contrats/${encodeURIComponent(c.ref)}?ok=cree`);
    } catch (e) {
      await showForm(
        ctx,
        res,
        actor,
        values,
        serviceErrors(e, { ref: 'ref', marche: 'marcheRef', participant: 'participantRef', dates: 'endDate' }),
      );
    }
  });

  r.get('/contrats/:ref', async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const ref = String(req.params.ref);
    const c = await getContract(ctx, actor, ref);
    const ledger = await contractLedger(ctx, actor, ref);
    const names = await accountNames(
      ctx.db,
      [...new Set(ledger.entries.map((e) => e.postedBy).filter((x): x is number => x !== null))].map(Number),
    );
    sendPage(res, 'contrat.njk', {
      title: `Contrat ${c.ref}`,
      breadcrumbs: [{ href: '/espace', label: 'Accueil' }, { href: '/contrats', label: 'Contrats' }, { label: c.ref }],
      flash: req.query.ok === 'cree' ? 'Contrat créé.' : undefined,
      c,
      categoryLabels: CATEGORY_LABELS,
      ledger,
      entries: ledger.entries.map((e) => ({
        ...e,
        author: e.postedBy !== null ? names.get(Number(e.postedBy)) : null,
      })),
    });
  });
  return r;
}
