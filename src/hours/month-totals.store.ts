import type { Knex } from 'knex';
import { insertFlat, insertFlatReturning } from '../db/bulk.js';
import { queryRow, queryRows, type SqlValue } from '../db/sql.js';

// SQL of contract_months: the total of each (contract, month), kept in the transaction of every
// entry (./ledger.store.ts holds the entries themselves).

const num = (v: unknown) => Number(v);

export interface MonthTotalRow {
  contract_id: number;
  month: string;
  centihours: number;
}

/**
 * Adds deltas to contract-month totals (creating them) and returns the new totals: one
 * statement, which on PostgreSQL also locks each row until the transaction ends, so two
 * writers of one month are serialised and the 235 h rule holds under concurrency.
 * Each (contract, month) must appear once. With `readBack: false` (a caller that knows the
 * totals, having read them under lock), nothing is returned.
 */
export async function addToMonthTotals(
  db: Knex,
  deltas: MonthTotalRow[],
  { readBack = true }: { readBack?: boolean } = {},
): Promise<MonthTotalRow[]> {
  const values: SqlValue[] = new Array(deltas.length * 3);
  deltas.forEach((d, i) => {
    values[i * 3] = d.contract_id;
    values[i * 3 + 1] = d.month;
    values[i * 3 + 2] = d.centihours;
  });
  const upsert = {
    head: 'insert into contract_months (contract_id, month, centihours)',
    columns: 3,
    tail: `on conflict (contract_id, month)
      do update set centihours = contract_months.centihours + excluded.centihours`,
  };
  if (!readBack) {
    await insertFlat(db, upsert, values, 5000);
    return [];
  }
  const rows = await insertFlatReturning<MonthTotalRow>(
    db,
    { ...upsert, tail: `${upsert.tail} returning contract_id, month, centihours` },
    values,
    5000,
  );
  for (const r of rows) {
    r.contract_id = num(r.contract_id);
    r.centihours = num(r.centihours);
  }
  return rows;
}

/** The current total of a contract-month (0 when it has no entry). */
export async function monthTotal(db: Knex, contractId: number, month: string): Promise<number> {
  const r = await queryRow<{ centihours: number }>(
    db,
    'select centihours from contract_months where contract_id = ? and month = ?',
    [contractId, month],
  );
  return num(r?.centihours ?? 0);
}

export async function monthTotalsOfContract(db: Knex, contractId: number): Promise<MonthTotalRow[]> {
  const rows = await queryRows<MonthTotalRow>(
    db,
    'select contract_id, month, centihours from contract_months where contract_id = ? order by month',
    [contractId],
  );
  return rows.map((r) => ({ ...r, contract_id: num(r.contract_id), centihours: num(r.centihours) }));
}
