import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { newAccountSchema, tokenLabelSchema } from '../../accounts/accounts.schemas.js';
import * as accounts from '../../accounts/accounts.service.js';
import { auditQuery } from '../../audit/audit.routes.js';
import { auditFilters, readAudit } from '../../audit/audit.service.js';
import type { AppContext } from '../../context.js';
import { nowIso } from '../../context.js';
import { DEPARTEMENTS } from '../../core/fields.js';
import { parse } from '../../core/validate.js';
import { closedMonthParams, reopenBody } from '../../hours/closed-months.schemas.js';
import { listClosedMonths, reopenMonth } from '../../hours/closed-months.service.js';
import { appFieldErrors, blankToUndefined, type FieldErrors, isAppError, zodFieldErrors } from '../form-errors.js';
import { actorOf, csrfCheck } from '../guard.js';
import { sendPage } from '../render.js';
import { structuresList } from '../web.store.js';
import { DEPARTEMENT_NAMES } from '../reports/rsa.view.js';
import { accountRow, auditView, closedMonthRow, roleOptions, tokenRow } from './admin.view.js';
import { OneTimeSecrets } from './one-time.js';

// Admin pages: accounts (list, create, disable, tokens shown once), reopening a closed month
// with a reason, the audit log with filters. Every write calls the service of the API (same
// checks, same audit); forms post with the session's CSRF token and redirect (PRG).

const idParam = z.object({ id: z.coerce.number().int().positive() });
const tokenParams = z.object({ id: z.coerce.number().int().positive(), tokenId: z.coerce.number().int().positive() });
const PAGE_SIZE = 50;

const DONE: Record<string, string> = {
  cree: 'Compte créé.',
  desactive: 'Compte désactivé : ses jetons et ses sessions ne fonctionnent plus.',
  jeton: 'Jeton émis.',
  revoque: 'Jeton révoqué.',
};

export function adminPages(ctx: AppContext): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '10kb' });
  const secrets = new OneTimeSecrets(ctx.clock);
  const sessionId = (req: Request) => req.session?.id ?? 0;

  r.get('/admin', (req, res) => {
    actorOf(req, 'admin');
    res.redirect(303, '/admin/comptes');
  });

  // Accounts
  r.get('/admin/comptes', async (req, res) => {
    const actor = actorOf(req, 'admin');
    const now = nowIso(ctx);
    const list = await accounts.listAccounts(ctx, actor);
    sendPage(res, 'admin/accounts.njk', { title: 'Comptes', rows: list.map((a) => accountRow(a, now)) });
  });

  async function showNewAccount(res: Response, values: Record<string, string | undefined>, errors: FieldErrors = {}) {
    sendPage(
      res,
      'admin/account-new.njk',
      {
        title: 'Nouveau compte',
        breadcrumbs: [{ href: '/admin/comptes', label: 'Comptes' }, { label: 'Nouveau compte' }],
        values,
        errors,
        roles: roleOptions(),
        structures: (await structuresList(ctx.db)).map((s) => ({ value: s.code, label: `${s.name} (${s.code})` })),
        departements: DEPARTEMENTS.map((d) => ({ value: d, label: `${DEPARTEMENT_NAMES[d]} (${d})` })),
      },
      Object.keys(errors).length ? 400 : 200,
    );
  }

  r.get('/admin/comptes/nouveau', async (req, res) => {
    actorOf(req, 'admin');
    await showNewAccount(res, { role: typeof req.query.role === 'string' ? req.query.role : '' });
  });

  r.post('/admin/comptes/nouveau', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin');
    const body = blankToUndefined(req.body);
    // Only the fields of the chosen role are sent on: the others may hold a value left over
    // from another choice (the form shows them all when scripts are off).
    const role = body.role;
    const input = newAccountSchema.safeParse({
      role,
      name: body.name,
      email: body.email,
      password: body.password,
      structure: role === 'facilitator' ? body.structure : undefined,
      contractor: role === 'contractor' ? body.contractor : undefined,
      departement: role === 'departement' ? body.departement : undefined,
    });
    const values = { ...body, password: undefined };
    if (!input.success) return showNewAccount(res, values, zodFieldErrors(input.error, 'name'));
    try {
      const created = await accounts.createAccount(ctx, actor, input.data);
      secrets.put(sessionId(req), created.account.id, { token: created.token, label: 'initial' });
      res.redirect(303, `/admin/comptes/${created.account.id}?fait=cree`);
    } catch (e) {
      if (isAppError(e, 'duplicate_email')) return showNewAccount(res, values, appFieldErrors(e, 'email'));
      if (isAppError(e, 'not_found', 'unknown_reference'))
        return showNewAccount(res, values, appFieldErrors(e, 'structure'));
      throw e;
    }
  });

  async function showAccount(req: Request, res: Response, id: number, errors: FieldErrors = {}) {
    const actor = actorOf(req, 'admin');
    const a = await accounts.getAccount(ctx, actor, String(id));
    const done = typeof req.query.fait === 'string' ? DONE[req.query.fait] : undefined;
    sendPage(
      res,
      'admin/account.njk',
      {
        title: `Compte ${a.name}`,
        breadcrumbs: [{ href: '/admin/comptes', label: 'Comptes' }, { label: a.name }],
        flash: done,
        account: accountRow(a, nowIso(ctx)),
        disabled: !!a.disabledAt,
        self: a.id === actor.id,
        tokens: a.tokens.map(tokenRow),
        secret: secrets.take(sessionId(req), a.id),
        errors,
      },
      Object.keys(errors).length ? 400 : 200,
    );
  }

  r.get('/admin/comptes/:id', async (req, res) => {
    actorOf(req, 'admin');
    await showAccount(req, res, parse(idParam, req.params).id);
  });

  r.post('/admin/comptes/:id/desactiver', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin');
    const { id } = parse(idParam, req.params);
    await accounts.disableAccount(ctx, actor, String(id));
    res.redirect(303, `/admin/comptes/${id}?fait=desactive`);
  });

  r.post('/admin/comptes/:id/jetons', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin');
    const { id } = parse(idParam, req.params);
    const input = tokenLabelSchema.safeParse(blankToUndefined(req.body));
    if (!input.success) return showAccount(req, res, id, zodFieldErrors(input.error, 'label'));
    const issued = await accounts.issueToken(ctx, actor, String(id), input.data.label);
    secrets.put(sessionId(req), id, { token: issued.token, label: issued.label });
    res.redirect(303, `/admin/comptes/${id}?fait=jeton`);
  });

  r.post('/admin/comptes/:id/jetons/:tokenId/revoquer', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin');
    const { id, tokenId } = parse(tokenParams, req.params);
    await accounts.revokeToken(ctx, actor, tokenId);
    res.redirect(303, `/admin/comptes/${id}?fait=revoque`);
  });

  // Closed months
  async function showMonths(
    req: Request,
    res: Response,
    o: { errors?: FieldErrors; row?: string; reason?: string } = {},
  ) {
    const actor = actorOf(req, 'admin');
    const rows = (await listClosedMonths(ctx, actor)).map(closedMonthRow);
    const reopened = typeof req.query.rouvert === 'string' ? req.query.rouvert : '';
    sendPage(
      res,
      'admin/months.njk',
      {
        title: 'Mois clos',
        rows,
        failedRow: o.row,
        errors: o.errors ?? {},
        reason: o.reason ?? '',
        flash: reopened
          ? `Mois rouvert : ${reopened}. Les heures de ce mois peuvent de nouveau être saisies.`
          : undefined,
      },
      o.errors ? 400 : 200,
    );
  }

  r.get('/admin/mois', (req, res) => showMonths(req, res));

  r.post('/admin/mois/:structure/:month/rouvrir', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin');
    const p = parse(closedMonthParams, req.params);
    const row = `${p.structure}-${p.month}`;
    const body = reopenBody.safeParse(req.body ?? {});
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : '';
    if (!body.success) return showMonths(req, res, { errors: zodFieldErrors(body.error, 'reason'), row, reason });
    try {
      await reopenMonth(ctx, actor, { ...p, reason: body.data.reason });
    } catch (e) {
      if (!isAppError(e, 'month_not_closed')) throw e;
      return showMonths(req, res, { errors: appFieldErrors(e, 'reason'), row, reason });
    }
    const [y, m] = p.month.split('-');
    res.redirect(303, `/admin/mois?rouvert=${encodeURIComponent(`${p.structure} ${m}/${y}`)}`);
  });

  // Audit log
  r.get('/admin/journal', async (req, res) => {
    const actor = actorOf(req, 'admin');
    const raw = blankToUndefined(req.query);
    const parsed = auditQuery.safeParse({ ...raw, limit: raw.limit ?? PAGE_SIZE });
    const errors = parsed.success ? {} : zodFieldErrors(parsed.error);
    const [vocabulary, list] = await Promise.all([auditFilters(ctx, actor), accounts.listAccounts(ctx, actor)]);
    const view = parsed.success
      ? auditView(await readAudit(ctx, actor, parsed.data), parsed.data, parsed.data.limit)
      : null;
    sendPage(
      res,
      'admin/journal.njk',
      {
        title: 'Journal d’audit',
        view,
        errors,
        values: raw,
        paged: !!raw.before,
        actions: vocabulary.actions,
        entities: vocabulary.entities.map((e) => ({ value: e, label: e })),
        accounts: list.map((a) => ({ value: String(a.id), label: `${a.name} (n° ${a.id})` })),
      },
      Object.keys(errors).length ? 400 : 200,
    );
  });
  return r;
}
