import type { Knex } from 'knex';
import type { Actor } from '../accounts/actor.js';
import { scopeMarches } from '../accounts/policy.js';
import { errors } from '../core/errors.js';
import { containsPattern, type PageRequest, singleKey } from '../core/paging.js';
import { insertReturningId, isUniqueViolation } from '../db/rows.js';

/** A row of `marches`. */
export interface MarcheRow {
  id: number;
  ref: string;
  cite_id: number;
  contractor_id: number;
  title: string;
  amount_cents: number;
  required_centihours: number;
  start_date: string;
  end_date: string;
  created_at: string;
  updated_at: string;
}

/** A marché with the codes of its cité and contractor. */
export interface MarcheJoinedRow extends MarcheRow {
  cite_code: string;
  cite_name: string;
  contractor_siret: string;
  contractor_name: string;
}

/** The columns a create or an update may set. */
export type MarcheFields = Pick<
  MarcheRow,
  'cite_id' | 'contractor_id' | 'title' | 'amount_cents' | 'required_centihours' | 'start_date' | 'end_date'
>;

export interface MarcheFilter {
  /** Part of the ref or of the title. */
  q?: string;
  /** Code of a cité. */
  cite?: string;
  /** SIRET of the contractor. */
  contractor?: string;
}

/** Marchés with their cité and contractor, in ref order (reports reuse it for compliance). */
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

/** One page of the marchés the actor may read (`limit + 1` rows). */
export async function listMarches(
  db: Knex,
  actor: Actor,
  filter: MarcheFilter,
  page: PageRequest,
): Promise<MarcheJoinedRow[]> {
  const q = scopeMarches(db, marchesQuery(db), actor);
  const after = singleKey(page);
  if (after !== null) q.where('m.ref', '>', after);
  if (filter.cite) q.where('ci.code', filter.cite);
  if (filter.contractor) q.where('co.siret', filter.contractor);
  if (filter.q) {
    const p = containsPattern(filter.q);
    q.where((w) =>
      w.whereRaw("lower(m.ref) like ? escape '\\'", [p]).orWhereRaw("lower(m.title) like ? escape '\\'", [p]),
    );
  }
  return q.limit(page.limit + 1);
}

export async function findVisibleMarche(db: Knex, actor: Actor, ref: string): Promise<MarcheJoinedRow | undefined> {
  return scopeMarches(db, marchesQuery(db), actor).where('m.ref', ref).first();
}

export async function findMarcheByRef(db: Knex, ref: string): Promise<MarcheJoinedRow | undefined> {
  return marchesQuery(db).where('m.ref', ref).first();
}

export async function findMarcheRow(db: Knex, ref: string): Promise<MarcheRow | undefined> {
  return db('marches').where({ ref }).first();
}

export async function insertMarche(
  db: Knex,
  row: MarcheFields & Pick<MarcheRow, 'ref' | 'created_at' | 'updated_at'>,
): Promise<number> {
  try {
    return await insertReturningId(db, 'marches', row);
  } catch (e) {
    if (isUniqueViolation(e)) throw errors.duplicate('marche', row.ref);
    throw e;
  }
}

export async function updateMarche(
  db: Knex,
  id: number,
  row: Partial<MarcheFields> & Pick<MarcheRow, 'updated_at'>,
): Promise<void> {
  await db('marches').where({ id }).update(row);
}

export interface ContractSpanRow {
  ref: string;
  start_date: string;
  end_date: string;
}

/** The contracts of a marché and their dates, in ref order. */
export async function contractSpans(db: Knex, marcheId: number): Promise<ContractSpanRow[]> {
  return db('contracts').where('marche_id', marcheId).select('ref', 'start_date', 'end_date').orderBy('ref');
}

export interface HoursMonthRow {
  contract_ref: string;
  month: string;
}

/** The (contract, month) pairs of a marché whose total is not zero, outside [fromMonth, toMonth]. */
export async function hoursMonthsOutside(
  db: Knex,
  marcheId: number,
  fromMonth: string,
  toMonth: string,
): Promise<HoursMonthRow[]> {
  return db('contract_months as cm')
    .join('contracts as c', 'c.id', 'cm.contract_id')
    .where('c.marche_id', marcheId)
    .whereNot('cm.centihours', 0)
    .where((w) => w.where('cm.month', '<', fromMonth).orWhere('cm.month', '>', toMonth))
    .select('c.ref as contract_ref', 'cm.month')
    .orderBy([
      { column: 'c.ref', order: 'asc' },
      { column: 'cm.month', order: 'asc' },
    ]);
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
