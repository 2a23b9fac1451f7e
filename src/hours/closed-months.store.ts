import type { Knex } from 'knex';

interface RawClosedMonthRow {
  structure: string;
  structure_name: string;
  month: string;
  closed_at: string;
  closed_by: string | null;
}

/** Closed months, by structure then month; of one structure when `structureId` is given. */
export async function findClosedMonths(db: Knex, structureId?: number | null) {
  const q = db('closed_months as cm')
    .join('structures as s', 's.id', 'cm.structure_id')
    .leftJoin('accounts as a', 'a.id', 'cm.closed_by')
    .select('s.code as structure', 's.name as structure_name', 'cm.month', 'cm.closed_at', 'a.name as closed_by')
    .orderBy([{ column: 's.code' }, { column: 'cm.month' }]);
  if (structureId !== undefined) q.where('cm.structure_id', structureId ?? -1);
  const rows: RawClosedMonthRow[] = await q;
  return rows.map((r) => ({
    structure: r.structure,
    structureName: r.structure_name,
    month: r.month,
    closedAt: r.closed_at,
    closedBy: r.closed_by ?? null,
  }));
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
