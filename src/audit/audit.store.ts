import type { Knex } from 'knex';

export interface AuditEvent {
  at: string;
  accountId: number | null;
  action: string; // e.g. hours.post, hours.correct, month.close, month.reopen
  entity: string;
  ref?: string | null;
  details?: unknown;
}

/** Appends to the audit log, inside the caller's transaction. Never updated or deleted. */
export async function audit(db: Knex, e: AuditEvent): Promise<void> {
  await db('audit_log').insert({
    at: e.at,
    account_id: e.accountId,
    action: e.action,
    entity: e.entity,
    entity_ref: e.ref ?? null,
    details: e.details === undefined ? null : JSON.stringify(e.details),
  });
}
