import type { Knex } from 'knex';
import { maintainReportRollups } from '../reports/rollups.maintain.js';

/** The new total of one (contract, month) after entries were appended. */
export interface MonthChange {
  contractId: number;
  month: string;
  delta: number; // centihours added by the new entries
  newTotal: number; // the contract-month total after them
}

/**
 * Keeps every rollup in step with the ledger, inside the transaction that appended the
 * entries. The one entry point for both the API (one change) and imports (many): any new
 * rollup table is maintained here, so no path can forget it.
 */
export async function applyMonthChanges(trx: Knex, changes: MonthChange[]): Promise<void> {
  for (let i = 0; i < changes.length; i += 400) {
    const batch = changes.slice(i, i + 400);
    await trx('contract_months')
      .insert(batch.map((c) => ({ contract_id: c.contractId, month: c.month, centihours: c.newTotal })))
      .onConflict(['contract_id', 'month'])
      .merge(['centihours']);
  }
  // Report rollups (hours and exact distinct counts by dimension), after contract_months.
  await maintainReportRollups(trx, changes);
}
