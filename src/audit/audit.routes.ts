import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { assertAdmin } from '../accounts/policy.js';
import { dateField } from '../core/fields.js';
import { type AuditRow, listAudit } from './audit.store.js';

const query = z.object({
  action: z.string().trim().min(1).max(40).optional(), // exact, or a prefix ending with "." (e.g. "hours.")
  entity: z.string().trim().min(1).max(40).optional(),
  ref: z.string().trim().min(1).max(100).optional(),
  account: z.coerce.number().int().positive().optional(),
  from: dateField.optional(),
  to: dateField.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().positive().optional(), // page backwards: entries with id < before
});

/** The API shape of one entry. */
function auditView(r: AuditRow) {
  return {
    id: Number(r.id),
    at: r.at,
    action: r.action,
    entity: r.entity,
    ref: r.entity_ref,
    account: r.account_id == null ? null : { id: Number(r.account_id), name: r.account_name, role: r.account_role },
    details: r.details ? JSON.parse(r.details) : null,
  };
}

// GET /api/v1/audit: admins read the append-only log, newest first, filtered.
export function auditRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/audit', async (req, res) => {
    assertAdmin(requireActor(req));
    const q = parse(query, req.query);
    const items = (await listAudit(ctx.db, q)).map(auditView);
    res.json({
      items,
      generatedAt: nowIso(ctx),
      next: items.length === q.limit ? { before: items[items.length - 1].id } : null,
    });
  });
  return r;
}
