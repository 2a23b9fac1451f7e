import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { listStructures } from './structures.service.js';

export function structuresRoutes(ctx: AppContext): Router {
  const r = Router();
  // Reference data every account may read: the codes that accounts, participants and closed months name.
  r.get('/structures', async (req, res) => {
    requireActor(req);
    res.json({ items: await listStructures(ctx.db) });
  });
  return r;
}
