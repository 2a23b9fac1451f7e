import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertAdmin } from '../accounts/policy.js';
import { type AuditFilter, auditVocabulary, listAudit } from './audit.store.js';

// Reading the append-only audit log (admins): the API and the admin page share this.
export async function readAudit(ctx: AppContext, actor: Actor, q: AuditFilter) {
  assertAdmin(actor);
  const rows = await listAudit(ctx.db, q);
  const items = rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    action: r.action,
    entity: r.entity,
    ref: r.entity_ref,
    account: r.account_id == null ? null : { id: Number(r.account_id), name: r.account_name, role: r.account_role },
    details: r.details ? (JSON.parse(r.details) as unknown) : null,
  }));
  return {
    items,
    generatedAt: nowIso(ctx),
    next: items.length === q.limit ? { before: items[items.length - 1].id } : null,
  };
}

export type AuditPage = Awaited<ReturnType<typeof readAudit>>;

/** What the filters of the log may offer (admins only). */
export async function auditFilters(ctx: AppContext, actor: Actor) {
  assertAdmin(actor);
  return auditVocabulary(ctx.db);
}
