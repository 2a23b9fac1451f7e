import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { siretField } from '../core/fields.js';
import * as service from './contractors.service.js';

export const newContractor = z.object({ siret: siretField, name: z.string().trim().min(1).max(200) });

export function contractorsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/contractors', async (req, res) => {
    res.json({ items: await service.listContractors(ctx, requireActor(req)) });
  });
  r.get('/contractors/:siret', async (req, res) => {
    res.json(await service.getContractor(ctx, requireActor(req), req.params.siret));
  });
  r.post('/contractors', async (req, res) => {
    const actor = requireActor(req);
    res.status(201).json(await service.createContractor(ctx, actor, parse(newContractor, req.body)));
  });
  return r;
}
