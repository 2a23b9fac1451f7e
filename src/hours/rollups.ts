import type { Knex } from 'knex';
import { insertFlat } from '../db/bulk.js';
import type { SqlValue } from '../db/sql.js';
import { maintainReportRollups } from '../reports/rollups/index.js';

/** The new total of one (contract, month) after entries were appended. */
export interface MonthChange {
  contractId: number;
  month: string;
  delta: number; // centihours added by the new entries
  newTotal: number; // the contract-month total after them
}

const MONTHS_UPSERT = {
  head: 'insert into contract_months (contract_id, month, centihours)',
  columns: 3,
  tail: 'on conflict (contract_id, month) do update set centihours = excluded.centihours',
};

/**
 * Keeps every rollup in step with the ledger, inside the transaction that appended the
 * entries. The one entry point for both the API (one change) and imports (many): any new
 * rollup table is maintained here, so no path can forget it.
 */
export async function applyMonthChanges(trx: Knex, changes: MonthChange[]): Promise<void> {
  // One (contract, month) may appear several times in a batch: its last total is the one to
  // keep (PostgreSQL refuses an upsert that touches the same row twice in one statement).
  const last = new Map<string, MonthChange>();
  for (const c of changes) last.set(`${c.contractId}|${c.month}`, c);
  const values: SqlValue[] = [];
  for (const c of last.values()) values.push(c.contractId, c.month, c.newTotal);
  await insertFlat(trx, MONTHS_UPSERT, values);
  // Report rollups (hours and exact distinct counts by dimension), after contract_months.
  await maintainReportRollups(trx, changes);
}
