import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { dateField, refField, sexField } from '../core/fields.js';
import * as service from './participants.service.js';

export const newParticipant = z.object({
  ref: refField,
  firstName: z.string().trim().min(1).max(100).nullish(),
  lastName: z.string().trim().min(1).max(100).nullish(),
  birthDate: dateField,
  sex: sexField,
  structure: z.string().trim().min(1).nullish(),
});

export function participantsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/participants', async (req, res) => {
    res.json({ items: await service.listParticipants(ctx, requireActor(req)) });
  });
  r.get('/participants/:ref', async (req, res) => {
    res.json(await service.getParticipant(ctx, requireActor(req), req.params.ref));
  });
  r.post('/participants', async (req, res) => {
    const actor = requireActor(req);
    res.status(201).json(await service.createParticipant(ctx, actor, parse(newParticipant, req.body)));
  });
  return r;
}
