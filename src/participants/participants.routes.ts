import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { dateField, refField, sexField } from '../core/fields.js';
import { pageQuery, pageRequest, searchField } from '../core/paging.js';
import * as service from './participants.service.js';

const nameField = z.string().trim().min(1).max(100);

export const newParticipant = z.object({
  ref: refField,
  firstName: nameField.nullish(),
  lastName: nameField.nullish(),
  birthDate: dateField,
  sex: sexField,
  structure: z.string().trim().min(1).nullish(),
});

// An edit names only what changes; `null` clears a name. The ref is the participant's identity.
export const participantPatch = z.strictObject({
  firstName: nameField.nullable().optional(),
  lastName: nameField.nullable().optional(),
  birthDate: dateField.optional(),
  sex: sexField.optional(),
  structure: z.string().trim().min(1).optional(),
});

export function participantsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/participants', async (req, res) => {
    const q = parse(pageQuery.extend({ q: searchField }), req.query);
    res.json(await service.listParticipants(ctx, requireActor(req), { q: q.q }, pageRequest(q)));
  });
  r.get('/participants/:ref', async (req, res) => {
    res.json(await service.getParticipant(ctx, requireActor(req), req.params.ref));
  });
  r.post('/participants', async (req, res) => {
    const actor = requireActor(req);
    res.status(201).json(await service.createParticipant(ctx, actor, parse(newParticipant, req.body)));
  });
  r.patch('/participants/:ref', async (req, res) => {
    const actor = requireActor(req);
    res.json(await service.updateParticipant(ctx, actor, req.params.ref, parse(participantPatch, req.body ?? {})));
  });
  return r;
}
