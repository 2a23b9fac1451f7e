import type { Knex } from 'knex';
import { insertReturningId } from '../db/rows.js';

export function marchesQuery(db: Knex) {
  return db('marches as m')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .join('contractors as co', 'co.id', 'm.contractor_id')
    .select(
      'm.*',
      'ci.code as cite_code',
      'ci.name as cite_name',
      'co.siret as contractor_siret',
      'co.name as contractor_name',
    )
    .orderBy('m.ref');
}

export const findMarcheByRef = (db: Knex, ref: string) => marchesQuery(db).where('m.ref', ref).first();

export const insertMarche = (db: Knex, row: Record<string, unknown>) => insertReturningId(db, 'marches', row);

export async function updateMarche(db: Knex, id: number, row: Record<string, unknown>): Promise<void> {
  await db('marches').where({ id }).update(row);
}

/** Hours of a marché's contracts per month, in centihours. */
export async function monthTotalsOfMarche(
  db: Knex,
  marcheId: number,
): Promise<Array<{ month: string; centihours: number }>> {
  const rows = (await db('contract_months as cm')
    .join('contracts as c', 'c.id', 'cm.contract_id')
    .where('c.marche_id', marcheId)
    .groupBy('cm.month')
    .select('cm.month')
    .sum({ centihours: 'cm.centihours' })
    .orderBy('cm.month')) as Array<{ month: string; centihours: unknown }>;
  return rows.map((r) => ({ month: r.month, centihours: Number(r.centihours ?? 0) }));
}

/** Hours of each contract of a marché, in centihours (contracts without hours too). */
export async function contractTotalsOfMarche(db: Knex, marcheId: number): Promise<Map<string, number>> {
  const rows = (await db('contracts as c')
    .leftJoin('contract_months as cm', 'cm.contract_id', 'c.id')
    .where('c.marche_id', marcheId)
    .groupBy('c.ref')
    .select('c.ref')
    .sum({ centihours: 'cm.centihours' })) as Array<{ ref: string; centihours: unknown }>;
  return new Map(rows.map((r) => [r.ref, Number(r.centihours ?? 0)]));
}
