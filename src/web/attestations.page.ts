import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import { issueBody, revokeBody } from '../attestations/attestations.routes.js';
import {
  attestationPdf,
  getAttestation,
  issueAttestation,
  listAttestations,
  revokeAttestation,
} from '../attestations/attestations.service.js';
import { KIND_LABELS, KINDS } from '../attestations/facts.js';
import type { AppContext } from '../context.js';
import { errors } from '../core/errors.js';
import { type FieldErrors, formValues, paginate, parseForm, serviceErrors } from './forms.js';
import { actorOf, csrfCheck } from './guard.js';
import { sendPage } from './render.js';

// Attestations: the list each role may read, issuing (admins, facilitators), the PDF, and
// revocation with a reason. The same service functions as the API, with the same audit.

const numberParam = z.string().regex(/^ATT-\d{4}-\d{6}$/);
const listQuery = z.object({
  type: z.enum(KINDS).optional().catch(undefined),
  statut: z.enum(['valid', 'revoked']).optional().catch(undefined),
});
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const isWriter = (a: Actor) => a.role === 'admin' || a.role === 'facilitator';

async function showList(
  ctx: AppContext,
  req: Request,
  res: Response,
  actor: Actor,
  o: { errors?: FieldErrors; v?: Record<string, unknown>; status?: number } = {},
) {
  const q = listQuery.parse(req.query);
  const all = await listAttestations(ctx, actor, { kind: q.type, status: q.statut });
  const { items, pager } = paginate(all, req.query.page, '/attestations', {
    type: q.type ?? '',
    statut: q.statut ?? '',
  });
  const { _: general, ...fieldErrors } = o.errors ?? {};
  const issued = typeof req.query.numero === 'string' ? req.query.numero : '';
  sendPage(
    res,
    'attestations.njk',
    {
      title: 'Attestations',
      breadcrumbs: [{ href: '/espace', label: 'Accueil' }, { label: 'Attestations' }],
      flash:
        req.query.ok === 'delivree'
          ? `Attestation ${issued} délivrée.`
          : req.query.ok === 'revoquee'
            ? `Attestation ${issued} révoquée.`
            : undefined,
      issued: req.query.ok === 'delivree' ? issued : '',
      items,
      pager,
      q: { type: q.type ?? '', statut: q.statut ?? '' },
      kinds: KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] })),
      kindLabels: KIND_LABELS,
      canIssue: isWriter(actor),
      v: o.v ?? {},
      errors: fieldErrors,
      general: general ? [general] : [],
    },
    o.status ?? 200,
  );
}

export function attestationsRoutes(ctx: AppContext): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '10kb' });

  r.get('/attestations', async (req, res) => showList(ctx, req, res, actorOf(req)));

  r.post('/attestations/delivrer', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const values = formValues(req.body);
    const p = parseForm(issueBody, values);
    if (!p.ok) return showList(ctx, req, res, actor, { errors: p.errors, v: values, status: 422 });
    try {
      const a = await issueAttestation(ctx, actor, p.data);
      res.redirect(303, `/attestations?ok=delivree&numero=${a.number}`);
    } catch (e) {
      const errs = serviceErrors(e, { marche: 'marcheRef', participant: 'participantRef' });
      await showList(ctx, req, res, actor, { errors: errs, v: values, status: 422 });
    }
  });

  r.get('/attestations/:number.pdf', async (req, res) => {
    const actor = actorOf(req);
    const n = numberParam.safeParse(req.params.number);
    if (!n.success) throw errors.notFound('attestation');
    const pdf = await attestationPdf(ctx, actor, n.data);
    res.type('application/pdf').set('Content-Disposition', `attachment; filename="${n.data}.pdf"`).send(pdf);
  });

  const showRevoke = async (req: Request, res: Response, actor: Actor, o: { error?: string; reason?: string } = {}) => {
    const n = numberParam.safeParse(req.params.number);
    if (!n.success) throw errors.notFound('attestation');
    const a = await getAttestation(ctx, actor, n.data);
    sendPage(
      res,
      'attestation-revoke.njk',
      {
        title: `Révoquer l’attestation ${a.number}`,
        breadcrumbs: [
          { href: '/espace', label: 'Accueil' },
          { href: '/attestations', label: 'Attestations' },
          { label: a.number },
        ],
        a,
        kindLabel: KIND_LABELS[a.kind],
        reason: o.reason ?? '',
        errors: o.error ? { reason: o.error } : {},
      },
      o.error ? 422 : 200,
    );
  };
  r.get('/attestations/:number/revoquer', async (req, res) =>
    showRevoke(req, res, actorOf(req, 'admin', 'facilitator')),
  );
  r.post('/attestations/:number/revoquer', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const n = numberParam.safeParse(req.params.number);
    if (!n.success) throw errors.notFound('attestation');
    const p = parseForm(revokeBody, { reason: str(req.body?.reason) });
    if (!p.ok) return showRevoke(req, res, actor, { error: p.errors.reason, reason: str(req.body?.reason) });
    await revokeAttestation(ctx, actor, n.data, p.data.reason);
    res.redirect(303, `/attestations?ok=revoquee&numero=${n.data}`);
  });
  return r;
}
