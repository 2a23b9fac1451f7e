import { Router } from 'express';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { auditQuery } from './audit.schemas.js';
import { searchAudit } from './audit.service.js';

// GET /api/v1/audit: admins read the append-only log, newest first, filtered.
export function auditRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/audit', async (req, res) => {
    const actor = requireActor(req);
    res.json(await searchAudit(ctx, actor, parse(auditQuery, req.query)));
  });
  return r;
}
