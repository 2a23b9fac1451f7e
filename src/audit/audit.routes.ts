import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { dateField } from '../core/fields.js';
import { readAudit } from './audit.service.js';

export const auditQuery = z.object({
  action: z.string().trim().min(1).max(40).optional(), // exact, or a prefix ending with "." (e.g. "hours.")
  entity: z.string().trim().min(1).max(40).optional(),
  ref: z.string().trim().min(1).max(100).optional(),
  account: z.coerce.number().int().positive().optional(),
  from: dateField.optional(),
  to: dateField.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().positive().optional(), // page backwards: entries with id < before
});

// GET /api/v1/audit: admins read the append-only log, newest first, filtered.
export function auditRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/audit', async (req, res) => {
    res.json(await readAudit(ctx, requireActor(req), parse(auditQuery, req.query)));
  });
  return r;
}
