import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { refField } from '../core/fields.js';
import { pageQuery, pageRequest, searchField } from '../core/paging.js';
import * as service from './cites.service.js';

const newCite = z.object({
  code: refField,
  name: z.string().trim().min(1).max(200),
  commune: z.string().trim().min(1).max(100),
  epci: z.string().trim().min(1),
  bailleur: z.string().trim().min(1).nullish(),
  programme: z.string().trim().default('erbm'),
});

export function citesRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/cites', async (req, res) => {
    requireActor(req);
    const q = parse(pageQuery.extend({ q: searchField }), req.query);
    res.json(await service.listCites(ctx, { q: q.q }, pageRequest(q)));
  });
  r.get('/cites/:code', async (req, res) => {
    requireActor(req);
    res.json(await service.getCite(ctx, req.params.code));
  });
  r.post('/cites', async (req, res) => {
    const actor = requireActor(req);
    res.status(201).json(await service.createCite(ctx, actor, parse(newCite, req.body)));
  });
  return r;
}
