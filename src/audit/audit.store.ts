import type { Knex } from 'knex';
import { insertFlat } from '../db/bulk.js';
import { beforeCommit } from '../db/group-commit.js';
import type { SqlValue } from '../db/sql.js';

export interface AuditEvent {
  at: string;
  accountId: number | null;
  action: string; // e.g. hours.post, hours.correct, month.close, month.reopen
  entity: string;
  ref?: string | null;
  details?: unknown;
}

const AUDIT_INSERT = {
  head: 'insert into audit_log (at, account_id, action, entity, entity_ref, details)',
  columns: 6,
};

async function writeEvents(db: Knex, events: AuditEvent[]): Promise<void> {
  const values: SqlValue[] = [];
  for (const e of events)
    values.push(
      e.at,
      e.accountId,
      e.action,
      e.entity,
      e.ref ?? null,
      e.details === undefined ? null : JSON.stringify(e.details),
    );
  await insertFlat(db, AUDIT_INSERT, values);
}

/**
 * Appends to the audit log, inside the caller's transaction. Never updated or deleted. In a
 * group of hour entries committed together, the group's lines are one insert before the
 * COMMIT (`beforeCommit`); elsewhere the line is written at once.
 */
export async function audit(db: Knex, e: AuditEvent): Promise<void> {
  await beforeCommit(db, writeEvents, [e]);
}

/** Several lines at once (an import's new contracts): one insert instead of one per line. */
export async function auditMany(db: Knex, events: AuditEvent[]): Promise<void> {
  await beforeCommit(db, writeEvents, events);
}

export interface AuditFilter {
  action?: string; // exact, or a prefix ending with "." (e.g. "hours.")
  entity?: string;
  ref?: string;
  account?: number;
  from?: string; // yyyy-MM-dd, inclusive
  to?: string; // yyyy-MM-dd, inclusive
  before?: number; // entries with id < before
  limit: number;
}

export interface AuditRow {
  id: number;
  at: string;
  account_id: number | null;
  action: string;
  entity: string;
  entity_ref: string | null;
  details: string | null;
  account_name: string | null;
  account_role: string | null;
}

/** Entries of the log, newest first, with the name and role of who acted. */
export async function listAudit(db: Knex, f: AuditFilter): Promise<AuditRow[]> {
  const q = db('audit_log as l')
    .leftJoin('accounts as a', 'a.id', 'l.account_id')
    .select('l.*', 'a.name as account_name', 'a.role as account_role');
  if (f.action) {
    if (f.action.endsWith('.')) q.where('l.action', 'like', `${f.action}%`);
    else q.where('l.action', f.action);
  }
  if (f.entity) q.where('l.entity', f.entity);
  if (f.ref) q.where('l.entity_ref', f.ref);
  if (f.account) q.where('l.account_id', f.account);
  if (f.from) q.where('l.at', '>=', f.from);
  if (f.to) q.where('l.at', '<', `${f.to}T99`); // inclusive end day: ISO stamps of that day sort below "T99"
  if (f.before) q.where('l.id', '<', f.before);
  return q.orderBy('l.id', 'desc').limit(f.limit);
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
