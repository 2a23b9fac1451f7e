import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { ROLE_LABELS, ROLES } from '../accounts/actor.js';
import { newAccountSchema } from '../accounts/accounts.schemas.js';
import { createAccount, disableAccount, issueToken, listAccounts } from '../accounts/accounts.service.js';
import { auditQuery } from '../audit/audit.routes.js';
import { readAudit } from '../audit/audit.service.js';
import type { AppContext } from '../context.js';
import { errors } from '../core/errors.js';
import { monthField } from '../core/fields.js';
import { listClosedMonths, reopenMonth } from '../hours/closed-months.service.js';
import { type FieldErrors, formValues, parseForm, serviceErrors } from './forms.js';
import { actorOf, csrfCheck } from './guard.js';
import { sendPage } from './render.js';
import { structuresList } from './web.store.js';

// Administration: accounts (create, disable, a token shown once), reopening a closed month
// with a reason, and the audit log with filters. Admins only; the services check it again.

const idParam = z.coerce.number().int().positive();
const reopenBody = z.object({
  structure: z.string().trim().min(1).max(64),
  month: monthField,
  reason: z
    .string({ error: 'Motif obligatoire.' })
    .trim()
    .min(3, 'Motif obligatoire (3 caractères au moins).')
    .max(500),
});
const crumbs = (label: string) => [{ href: '/espace', label: 'Accueil' }, { label }];

async function showAccounts(
  ctx: AppContext,
  req: Request,
  res: Response,
  o: {
    v?: Record<string, unknown>;
    errors?: FieldErrors;
    token?: { account: string; value: string };
    status?: number;
  } = {},
) {
  const actor = actorOf(req, 'admin');
  const { _: general, ...fieldErrors } = o.errors ?? {};
  sendPage(
    res,
    'admin-comptes.njk',
    {
      title: 'Comptes',
      breadcrumbs: crumbs('Comptes'),
      flash:
        req.query.ok === 'desactive' ? 'Compte désactivé : ses jetons et ses sessions ne servent plus.' : undefined,
      accounts: await listAccounts(ctx, actor),
      roles: ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })),
      roleLabels: ROLE_LABELS,
      structures: (await structuresList(ctx.db)).map((s) => ({ value: s.code, label: s.name })),
      departements: [
        { value: '59', label: 'Nord (59)' },
        { value: '62', label: 'Pas-de-Calais (62)' },
      ],
      v: o.v ?? {},
      errors: fieldErrors,
      general: general ? [general] : [],
      token: o.token,
      me: actor.id,
    },
    o.status ?? 200,
  );
}

export function adminRoutes(ctx: AppContext): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '10kb' });

  r.get('/admin/comptes', (req, res) => showAccounts(ctx, req, res));
  r.post('/admin/comptes', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin');
    const v = formValues(req.body);
    const p = parseForm(newAccountSchema, v);
    if (!p.ok) return showAccounts(ctx, req, res, { v, errors: p.errors, status: 422 });
    try {
      const out = await createAccount(ctx, actor, p.data);
      // The token is shown once, on this answer only: it is stored hashed.
      await showAccounts(ctx, req, res, { token: { account: out.account.name, value: out.token }, status: 201 });
    } catch (e) {
      await showAccounts(ctx, req, res, {
        v,
        errors: serviceErrors(e, { ref: 'email', structure: 'structure' }),
        status: 422,
      });
    }
  });
  r.post('/admin/comptes/:id/desactiver', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin');
    await disableAccount(ctx, actor, String(idParam.parse(req.params.id)));
    res.redirect(303, '/admin/comptes?ok=desactive');
  });
  r.post('/admin/comptes/:id/jeton', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin');
    const id = idParam.parse(req.params.id);
    const t = await issueToken(ctx, actor, String(id), 'navigateur');
    const account = (await listAccounts(ctx, actor)).find((a) => a.id === id);
    await showAccounts(ctx, req, res, { token: { account: account?.name ?? String(id), value: t.token }, status: 201 });
  });

  const showMonths = async (
    req: Request,
    res: Response,
    o: { errors?: FieldErrors; v?: Record<string, unknown> } = {},
  ) => {
    const actor = actorOf(req, 'admin');
    sendPage(
      res,
      'admin-mois.njk',
      {
        title: 'Mois clos',
        breadcrumbs: crumbs('Mois clos'),
        flash: req.query.ok === 'rouvert' ? 'Mois rouvert : la réouverture et son motif sont journalisés.' : undefined,
        months: await listClosedMonths(ctx, actor),
        errors: o.errors ?? {},
        v: o.v ?? {},
      },
      o.errors ? 422 : 200,
    );
  };
  r.get('/admin/mois', (req, res) => showMonths(req, res));
  r.post('/admin/mois/rouvrir', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin');
    const v = formValues(req.body);
    const p = parseForm(reopenBody, v);
    if (!p.ok) return showMonths(req, res, { errors: p.errors, v });
    await reopenMonth(ctx, actor, p.data);
    res.redirect(303, '/admin/mois?ok=rouvert');
  });

  r.get('/admin/journal', async (req, res) => {
    const actor = actorOf(req, 'admin');
    const values = formValues(req.query);
    const q = auditQuery.safeParse({ ...values, limit: 100 });
    if (!q.success) throw errors.invalidInput('Filtre invalide : dates au format jj/mm/aaaa, compte par son numéro.');
    const log = await readAudit(ctx, actor, q.data);
    const keep = Object.fromEntries(
      Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'before'),
    );
    sendPage(res, 'admin-journal.njk', {
      title: 'Journal d’audit',
      breadcrumbs: crumbs('Journal d’audit'),
      items: log.items.map((i) => ({ ...i, detailsText: i.details ? JSON.stringify(i.details) : '' })),
      f: keep,
      next: log.next ? `/admin/journal?${new URLSearchParams({ ...keep, before: String(log.next.before) })}` : null,
    });
  });
  return r;
}
