import { z } from 'zod';
import { dateField } from '../core/fields.js';

/** Filters of the audit log (API and admin page share them). */
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

export type AuditQuery = z.infer<typeof auditQuery>;
