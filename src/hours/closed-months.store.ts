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
