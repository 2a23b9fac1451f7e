import express, { Router, type Response } from 'express';
import type { AppContext } from '../context.js';
import { newContractor, renamed } from '../contractors/contractors.routes.js';
import { createContractor, listContractors, renameContractor } from '../contractors/contractors.service.js';
import { type FieldErrors, formValues, pageOf, pagerOf, parseForm, serviceErrors } from './forms.js';
import { actorOf, csrfCheck } from './guard.js';
import { sendPage } from './render.js';

// Entreprises attributaires: the list (search by name, SIRET, SIREN) and the creation form.

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export function entreprisesRoutes(ctx: AppContext): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '10kb' });
  const show = async (
    req: express.Request,
    res: Response,
    o: { v?: Record<string, unknown>; errors?: FieldErrors } = {},
  ) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const q = { q: str(req.query.q) };
    const page = await listContractors(ctx, actor, { q: q.q || undefined }, pageOf(req));
    const items = page.items;
    const pager = pagerOf(page, req, '/entreprises', q);
    const { _: general, ...errors } = o.errors ?? {};
    sendPage(
      res,
      'entreprises.njk',
      {
        title: 'Entreprises',
        breadcrumbs: [{ href: '/espace', label: 'Accueil' }, { label: 'Entreprises' }],
        flash:
          req.query.ok === 'cree'
            ? 'Entreprise créée.'
            : req.query.ok === 'renommee'
              ? 'Entreprise renommée.'
              : undefined,
        items,
        pager,
        q,
        v: o.v ?? {},
        errors,
        general: general ? [general] : [],
      },
      o.errors ? 422 : 200,
    );
  };
  r.get('/entreprises', (req, res) => show(req, res));
  r.post('/entreprises/nouvelle', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const v = formValues(req.body);
    const p = parseForm(newContractor, v);
    if (!p.ok) return show(req, res, { v, errors: p.errors });
    try {
      await createContractor(ctx, actor, p.data);
      res.redirect(303, '/entreprises?ok=cree');
    } catch (e) {
      await show(req, res, { v, errors: serviceErrors(e, { ref: 'siret', contractor: 'siret' }) });
    }
  });
  r.post('/entreprises/:siret/renommer', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const p = parseForm(renamed, formValues(req.body));
    if (!p.ok) return show(req, res, { errors: { _: p.errors.name ?? 'Nom invalide.' } });
    try {
      await renameContractor(ctx, actor, String(req.params.siret), p.data.name);
      res.redirect(303, '/entreprises?ok=renommee');
    } catch (e) {
      await show(req, res, { errors: serviceErrors(e, {}) });
    }
  });
  return r;
}
