import type { Knex } from 'knex';
import { execute } from '../db/sql.js';

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
  // A prepared statement on SQLite: every write of the ledger pays for this one.
  await execute(
    db,
    'insert into audit_log (at, account_id, action, entity, entity_ref, details) values (?, ?, ?, ?, ?, ?)',
    [e.at, e.accountId, e.action, e.entity, e.ref ?? null, e.details === undefined ? null : JSON.stringify(e.details)],
  );
}
