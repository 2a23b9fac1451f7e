import express, { Router, type Response } from 'express';
import type { Actor } from '../accounts/actor.js';
import type { AppContext } from '../context.js';
import { listContracts } from '../contracts/contracts.service.js';
import { contractLedger } from '../hours/hours.service.js';
import { newParticipant, participantPatch } from '../participants/participants.routes.js';
import {
  createParticipant,
  getParticipant,
  listParticipants,
  updateParticipant,
} from '../participants/participants.service.js';
import { ALL, type FieldErrors, formValues, pageOf, pagerOf, parseForm, serviceErrors } from './forms.js';
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
  editing: string | null = null,
) {
  const { _: general, ...fieldErrors } = errors;
  sendPage(
    res,
    'participant-form.njk',
    {
      title: editing ? `Modifier le participant ${editing}` : 'Nouveau participant',
      breadcrumbs: [
        { href: '/espace', label: 'Accueil' },
        { href: '/participants', label: 'Participants' },
        ...(editing ? [{ href: `/participants/${encodeURIComponent(editing)}`, label: editing }] : []),
        { label: editing ? 'Modifier' : 'Nouveau' },
      ],
      editing,
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
    const page = await listParticipants(ctx, actor, { q: q.q || undefined }, pageOf(req));
    const items = page.items;
    const pager = pagerOf(page, req, '/participants', q);
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

  r.get('/participants/:ref/modifier', async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const p = await getParticipant(ctx, actor, String(req.params.ref));
    await showForm(
      ctx,
      res,
      actor,
      { ...p, birthDate: p.birthDate ? p.birthDate.split('-').reverse().join('/') : '' },
      {},
      p.ref,
    );
  });
  r.post('/participants/:ref/modifier', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const ref = String(req.params.ref);
    const v = formValues(req.body);
    // Every field of the form is sent: an emptied name is cleared.
    const patch = {
      firstName: v.firstName ?? null,
      lastName: v.lastName ?? null,
      birthDate: v.birthDate ?? '',
      sex: v.sex ?? '',
      ...(actor.role === 'admin' && v.structure ? { structure: v.structure } : {}),
    };
    const p = parseForm(participantPatch, patch);
    if (!p.ok) return showForm(ctx, res, actor, v, p.errors, ref);
    try {
      await updateParticipant(ctx, actor, ref, p.data);
      res.redirect(303, `/participants/${encodeURIComponent(ref)}?ok=modifie`);
    } catch (e) {
      await showForm(ctx, res, actor, v, serviceErrors(e, { structure: 'structure', dates: 'birthDate' }), ref);
    }
  });

  r.get('/participants/:ref', async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const ref = String(req.params.ref);
    const p = await getParticipant(ctx, actor, ref); // 404 outside the scope
    const contracts = (await listContracts(ctx, actor, { participant: ref }, ALL)).items;
    const ledgers = await Promise.all(contracts.map((c) => contractLedger(ctx, actor, c.ref)));
    sendPage(res, 'participant.njk', {
      title: `Participant ${p.ref}`,
      breadcrumbs: [
        { href: '/espace', label: 'Accueil' },
        { href: '/participants', label: 'Participants' },
        { label: p.ref },
      ],
      flash:
        req.query.ok === 'cree' ? 'Participant créé.' : req.query.ok === 'modifie' ? 'Participant modifié.' : undefined,
      p,
      contracts: contracts.map((c, i) => ({ ...c, hours: ledgers[i].totalHours, months: ledgers[i].months })),
      total: ledgers.reduce((s, l) => s + l.totalHours, 0),
      canIssue: true,
    });
  });
  return r;
}
