import type { Knex } from 'knex';

// SQL of closed months (the rule's reading for entries is ledger.store.ts closedCiteMonths).

export interface ClosedMonthRow {
  structure: string;
  month: string;
  closed_at: string;
}

/** Closed months, by structure code then month; one structure's only when given. */
export function listClosedMonths(db: Knex, structureId?: number): Promise<ClosedMonthRow[]> {
  const q = db('closed_months as cm')
    .join('structures as s', 's.id', 'cm.structure_id')
    .select('s.code as structure', 'cm.month', 'cm.closed_at')
    .orderBy([{ column: 's.code' }, { column: 'cm.month' }]);
  if (structureId !== undefined) q.where('cm.structure_id', structureId);
  return q;
}

export async function isClosed(db: Knex, structureId: number, month: string): Promise<boolean> {
  return !!(await db('closed_months').where({ structure_id: structureId, month }).first('month'));
}

export async function insertClosedMonth(
  db: Knex,
  row: { structure_id: number; month: string; closed_by: number; closed_at: string },
): Promise<void> {
  await db('closed_months').insert(row);
}

/** Deletes a closed month; returns how many rows went (0: it was not closed). */
export async function deleteClosedMonth(db: Knex, structureId: number, month: string): Promise<number> {
  return db('closed_months').where({ structure_id: structureId, month }).delete();
}
