import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertAdmin } from '../accounts/policy.js';
import type { AuditQuery } from './audit.schemas.js';
import { auditVocabulary, findAuditEntries } from './audit.store.js';

/** The append-only log, newest first, for admins; `next.before` pages backwards. */
export async function searchAudit(ctx: AppContext, actor: Actor, q: AuditQuery) {
  assertAdmin(actor);
  const items = await findAuditEntries(ctx.db, q);
  return {
    items,
    generatedAt: nowIso(ctx),
    next: items.length === q.limit ? { before: items[items.length - 1].id } : null,
  };
}

export type AuditPage = Awaited<ReturnType<typeof searchAudit>>;

/** What the filters of the log may offer (admins only). */
export async function auditFilters(ctx: AppContext, actor: Actor) {
  assertAdmin(actor);
  return auditVocabulary(ctx.db);
}
