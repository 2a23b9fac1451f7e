import type { Knex } from 'knex';
import type { Actor } from '../accounts/actor.js';
import { scopeMarches } from '../accounts/policy.js';

// SQL of the month grid: the contracts of a scope whose dates cover a month, with the month's
// current total, and the closures of that month.

export interface GridRow {
  id: number;
  ref: string;
  start_date: string;
  end_date: string;
  cite_id: number;
  cite_code: string;
  cite_name: string;
  marche_ref: string;
  marche_title: string;
  participant_ref: string;
  centihours: number;
}

export async function gridRows(db: Knex, actor: Actor, month: string): Promise<GridRow[]> {
  const q = db('contracts as c')
    .join('marches as m', 'm.id', 'c.marche_id')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .join('participants as p', 'p.id', 'c.participant_id')
    .leftJoin('contract_months as cm', (j) => j.on('cm.contract_id', 'c.id').andOnVal('cm.month', month))
    // Dates are ISO text: a contract covers the month when it starts before its end and ends after its start.
    .where('c.start_date', '<=', `${month}-31`)
    .where('c.end_date', '>=', `${month}-01`)
    .select(
      'c.id',
      'c.ref',
      'c.start_date',
      'c.end_date',
      'm.cite_id',
      'ci.code as cite_code',
      'ci.name as cite_name',
      'm.ref as marche_ref',
      'm.title as marche_title',
      'p.ref as participant_ref',
      'cm.centihours',
    )
    .orderBy([{ column: 'ci.name' }, { column: 'm.ref' }, { column: 'c.ref' }]);
  const rows: Array<Record<string, unknown>> = await scopeMarches(db, q, actor);
  return rows.map((r) => ({
    id: Number(r.id),
    ref: String(r.ref),
    start_date: String(r.start_date),
    end_date: String(r.end_date),
    cite_id: Number(r.cite_id),
    cite_code: String(r.cite_code),
    cite_name: String(r.cite_name),
    marche_ref: String(r.marche_ref),
    marche_title: String(r.marche_title),
    participant_ref: String(r.participant_ref),
    centihours: Number(r.centihours ?? 0),
  }));
}

/** Cités closed for a month (a structure's closure closes the cités of its EPCIs). */
export async function closedCites(db: Knex, month: string): Promise<Set<number>> {
  const rows: Array<{ cite_id: number }> = await db('closed_months as cm')
    .join('structure_epcis as se', 'se.structure_id', 'cm.structure_id')
    .join('cites as ci', 'ci.epci_id', 'se.epci_id')
    .where('cm.month', month)
    .distinct('ci.id as cite_id');
  return new Set(rows.map((r) => Number(r.cite_id)));
}

export interface Closure {
  structure: string;
  structureName: string;
  closedAt: string;
  closedBy: string | null;
}

/** Who closed a month, per structure (one structure when `structureId` is given). */
export async function closuresOfMonth(db: Knex, month: string, structureId: number | null): Promise<Closure[]> {
  const q = db('closed_months as cm')
    .join('structures as s', 's.id', 'cm.structure_id')
    .leftJoin('accounts as a', 'a.id', 'cm.closed_by')
    .where('cm.month', month)
    .select('s.code', 's.name', 'cm.closed_at', 'a.name as closed_by')
    .orderBy('s.code');
  if (structureId !== null) q.where('cm.structure_id', structureId);
  const rows: Array<Record<string, string | null>> = await q;
  return rows.map((r) => ({
    structure: String(r.code),
    structureName: String(r.name),
    closedAt: String(r.closed_at),
    closedBy: r.closed_by ?? null,
  }));
}
