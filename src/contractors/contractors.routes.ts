import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { siretField } from '../core/fields.js';
import { pageQuery, pageRequest, searchField } from '../core/paging.js';
import * as service from './contractors.service.js';

const nameField = z.string().trim().min(1, 'Nom obligatoire.').max(200);
export const newContractor = z.object({ siret: siretField, name: nameField });
export const renamed = z.object({ name: nameField });

export function contractorsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/contractors', async (req, res) => {
    const q = parse(pageQuery.extend({ q: searchField }), req.query);
    res.json(await service.listContractors(ctx, requireActor(req), { q: q.q }, pageRequest(q)));
  });
  r.get('/contractors/:siret', async (req, res) => {
    res.json(await service.getContractor(ctx, requireActor(req), req.params.siret));
  });
  r.post('/contractors', async (req, res) => {
    const actor = requireActor(req);
    res.status(201).json(await service.createContractor(ctx, actor, parse(newContractor, req.body)));
  });
  r.patch('/contractors/:siret', async (req, res) => {
    const actor = requireActor(req);
    const { name } = parse(renamed, req.body ?? {});
    res.json(await service.renameContractor(ctx, actor, req.params.siret, name));
  });
  return r;
}
