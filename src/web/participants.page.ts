import express, { Router, type Response } from 'express';
import type { Actor } from '../accounts/actor.js';
import type { AppContext } from '../context.js';
import { listContracts } from '../contracts/contracts.service.js';
import { contractLedger } from '../hours/hours.service.js';
import { newParticipant } from '../participants/participants.routes.js';
import { createParticipant, getParticipant, listParticipants } from '../participants/participants.service.js';
import { type FieldErrors, formValues, matches, paginate, parseForm, serviceErrors } from './forms.js';
import { actorOf, csrfCheck } from './guard.js';
import { sendPage } from './render.js';
import { structuresList } from './web.store.js';

// Participants (admins and facilitators): the list, the creation form and a participant's
// page with its contracts and hours. Viewing identities is audited by the service.

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const SEXES = [
  { value: 'F', label: 'Femme' },
  { value: 'M', label: 'Homme' },
];

async function showForm(
  ctx: AppContext,
  res: Response,
  actor: Actor,
  v: Record<string, unknown>,
  errors: FieldErrors = {},
) {
  const { _: general, ...fieldErrors } = errors;
  sendPage(
    res,
    'participant-form.njk',
    {
      title: 'Nouveau participant',
      breadcrumbs: [
        { href: '/espace', label: 'Accueil' },
        { href: '/participants', label: 'Participants' },
        { label: 'Nouveau' },
      ],
      v,
      errors: fieldErrors,
      general: general ? [general] : [],
      sexes: SEXES,
      structures:
        actor.role === 'admin' ? (await structuresList(ctx.db)).map((s) => ({ value: s.code, label: s.name })) : [],
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

export function participantsRoutes(ctx: AppContext): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '20kb' });

  r.get('/participants', async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const q = { q: str(req.query.q) };
    const all = (await listParticipants(ctx, actor)).filter((p) =>
      matches(q.q, p.ref, 'lastName' in p ? p.lastName : null, 'firstName' in p ? p.firstName : null),
    );
    const { items, pager } = paginate(all, req.query.page, '/participants', q);
    sendPage(res, 'participants.njk', {
      title: 'Participants',
      breadcrumbs: [{ href: '/espace', label: 'Accueil' }, { label: 'Participants' }],
      items,
      pager,
      q,
    });
  });

  r.get('/participants/nouveau', async (req, res) => showForm(ctx, res, actorOf(req, 'admin', 'facilitator'), {}));
  r.post('/participants/nouveau', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const values = formValues(req.body);
    const p = parseForm(newParticipant, values);
    if (!p.ok) return showForm(ctx, res, actor, values, p.errors);
    try {
      const created = await createParticipant(ctx, actor, p.data);
      res.redirect(303, `/participants/${encodeURIComponent(created.ref)}?ok=cree`);
    } catch (e) {
      await showForm(
        ctx,
        res,
        actor,
        values,
        serviceErrors(e, { ref: 'ref', structure: 'structure', dates: 'birthDate' }),
      );
    }
  });

  r.get('/participants/:ref', async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const ref = String(req.params.ref);
    const p = await getParticipant(ctx, actor, ref); // 404 outside the scope
    const contracts = await listContracts(ctx, actor, { participant: ref });
    const ledgers = await Promise.all(contracts.map((c) => contractLedger(ctx, actor, c.ref)));
    sendPage(res, 'participant.njk', {
      title: `Participant ${p.ref}`,
      breadcrumbs: [
        { href: '/espace', label: 'Accueil' },
        { href: '/participants', label: 'Participants' },
        { label: p.ref },
      ],
      flash: req.query.ok === 'cree' ? 'Participant créé.' : undefined,
      p,
      contracts: contracts.map((c, i) => ({ ...c, hours: ledgers[i].totalHours, months: ledgers[i].months })),
      total: ledgers.reduce((s, l) => s + l.totalHours, 0),
      canIssue: true,
    });
  });
  return r;
}
