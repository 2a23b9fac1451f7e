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

export interface AuditFilter {
  action?: string; // exact, or a prefix ending with "." (e.g. "hours.")
  entity?: string;
  ref?: string;
  account?: number;
  from?: string; // yyyy-MM-dd
  to?: string; // yyyy-MM-dd, inclusive
  limit: number;
  before?: number; // entries with id < before
}

export interface AuditRow {
  id: number;
  at: string;
  action: string;
  entity: string;
  entity_ref: string | null;
  account_id: number | null;
  account_name: string | null;
  account_role: string | null;
  details: string | null;
}

/** The log, newest first, filtered. */
export function listAudit(db: Knex, q: AuditFilter): Promise<AuditRow[]> {
  return db('audit_log as l')
    .leftJoin('accounts as a', 'a.id', 'l.account_id')
    .select('l.*', 'a.name as account_name', 'a.role as account_role')
    .modify((b) => {
      if (q.action)
        q.action.endsWith('.') ? b.where('l.action', 'like', `${q.action}%`) : b.where('l.action', q.action);
      if (q.entity) b.where('l.entity', q.entity);
      if (q.ref) b.where('l.entity_ref', q.ref);
      if (q.account) b.where('l.account_id', q.account);
      if (q.from) b.where('l.at', '>=', q.from);
      if (q.to) b.where('l.at', '<', `${q.to}T99`); // inclusive end day: ISO stamps of that day sort below "T99"
      if (q.before) b.where('l.id', '<', q.before);
    })
    .orderBy('l.id', 'desc')
    .limit(q.limit);
}

/** The actions and entities the log holds, for the filters of the admin page. */
export async function auditVocabulary(db: Knex): Promise<{ actions: string[]; entities: string[] }> {
  const [actions, entities] = await Promise.all([
    db('audit_log').distinct('action').orderBy('action'),
    db('audit_log').distinct('entity').orderBy('entity'),
  ]);
  return {
    actions: actions.map((r: { action: string }) => r.action),
    entities: entities.map((r: { entity: string }) => r.entity),
  };
}
