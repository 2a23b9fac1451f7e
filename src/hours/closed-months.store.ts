import type { Knex } from 'knex';
import { queryRows } from '../db/sql.js';

// A (cité, month) is closed when a structure covering the cité's EPCI closed the month: the
// one reading of the rule, for one cité in `closedFor` (`cite` and `month`: SQL expressions,
// the month a parameter by default; the ledger's contract lookup reads it with the contract)
// and for many in `closedCiteMonths`.
const CLOSED_FROM = `closed_months cm join structure_epcis se on se.structure_id = cm.structure_id
  join cites cc on cc.epci_id = se.epci_id`;
export const closedFor = (cite: string, month = '?') =>
  `exists (select 1 from ${CLOSED_FROM} where cc.id = ${cite} and cm.month = ${month})`;

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

const marks = (n: number) => new Array(n).fill('?').join(', ');

/**
 * The closed (cité, month) pairs among some cités and months, as `citeId|month` keys: a
 * structure's closed month closes it for the cités of its EPCIs. The one reading of the rule,
 * for the API and the imports alike.
 */
export async function closedCiteMonths(db: Knex, citeIds: number[], months: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  if (!citeIds.length || !months.length) return out;
  for (let i = 0; i < citeIds.length; i += 400)
    for (let j = 0; j < months.length; j += 400) {
      const cites = citeIds.slice(i, i + 400);
      const ms = months.slice(j, j + 400);
      const rows = await queryRows<{ cite_id: number; month: string }>(
        db,
        `select distinct cc.id as cite_id, cm.month from ${CLOSED_FROM}
          where cc.id in (${marks(cites.length)}) and cm.month in (${marks(ms.length)})`,
        [...cites, ...ms],
      );
      for (const r of rows) out.add(`${Number(r.cite_id)}|${r.month}`);
    }
  return out;
}
