import type { Knex } from 'knex';
import type { Actor } from '../accounts/actor.js';
import { scopeMarches } from '../accounts/policy.js';
import { marchesQuery } from '../marches/marches.store.js';
import type { Period } from './rollups/index.js';

// SQL of the reports that do not come from the rollups alone: the RSA report's starts and
// exits, compliance's marchés, progress's lists of cités and Départements.

// ---- progress

export async function citesOfProgramme(
  db: Knex,
  programmeId: number,
): Promise<Array<{ id: number; code: string; name: string }>> {
  return db('cites').where('programme_id', programmeId).select('id', 'code', 'name').orderBy('code');
}

export async function departementCodes(db: Knex): Promise<Array<{ code: string }>> {
  return db('departements').select('code').orderBy('code');
}

// ---- RSA report

/** People whose first month with hours paid by the Département falls in each month. */
export async function rsaFirstMonths(
  db: Knex,
  programmeId: number,
  d: string,
  period: Period,
): Promise<Map<string, number>> {
  const q = db('report_counts').where({ programme_id: programmeId, dim: 'rsaPayer', entity: 'p', key: d, prev: '' });
  if (period.from) q.where('month', '>=', period.from);
  if (period.to) q.where('month', '<=', period.to);
  const rows: Array<{ month: string; n: unknown }> = await q.select('month').sum({ n: 'n' }).groupBy('month');
  return new Map(rows.filter((r) => Number(r.n) !== 0).map((r) => [r.month, Number(r.n)]));
}

function rsaContracts(db: Knex, programmeId: number, d: string) {
  return db('contracts as c')
    .join('marches as m', 'm.id', 'c.marche_id')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .where({ 'ci.programme_id': programmeId, 'c.rsa_departement': d })
    .where('c.cat_rsa', true);
}

/** RSA contracts of the Département starting in each month, between two dates (inclusive). */
export async function rsaContractStarts(
  db: Knex,
  programmeId: number,
  d: string,
  dates: { from?: string; to?: string },
): Promise<Map<string, number>> {
  const q = rsaContracts(db, programmeId, d);
  if (dates.from) q.where('c.start_date', '>=', dates.from);
  if (dates.to) q.where('c.start_date', '<=', dates.to);
  const rows: Array<{ month: string; n: unknown }> = await q
    .select(db.raw('substr(c.start_date, 1, 7) AS month'))
    .count({ n: '*' })
    .groupByRaw('substr(c.start_date, 1, 7)');
  return new Map(rows.map((r) => [r.month, Number(r.n)]));
}

/** RSA contracts ended before `today`, between two dates, that had hours, by recorded outcome. */
export async function rsaExitsByOutcome(
  db: Knex,
  programmeId: number,
  d: string,
  today: string,
  dates: { from?: string; to?: string },
): Promise<Array<{ exit_outcome: string | null; n: number }>> {
  const q = rsaContracts(db, programmeId, d)
    .where('c.end_date', '<', today)
    .whereExists(
      db('contract_months as cm').whereRaw('cm.contract_id = c.id').where('cm.centihours', '>', 0).select(db.raw('1')),
    );
  if (dates.from) q.where('c.end_date', '>=', dates.from);
  if (dates.to) q.where('c.end_date', '<=', dates.to);
  const rows: Array<{ exit_outcome: string | null; n: unknown }> = await q
    .select('c.exit_outcome')
    .count({ n: '*' })
    .groupBy('c.exit_outcome');
  return rows.map((r) => ({ exit_outcome: r.exit_outcome ?? null, n: Number(r.n) }));
}

// ---- compliance

/** The columns of a marché compliance reads. */
export interface ComplianceMarcheRow {
  id: number;
  ref: string;
  title: string;
  cite_code: string;
  contractor_siret: string;
  contractor_name: string;
  required_centihours: number;
  start_date: string;
  end_date: string;
}

/** A marché the actor may read, by ref (the same answer for unknown and out of scope). */
export async function visibleMarche(db: Knex, actor: Actor, ref: string): Promise<ComplianceMarcheRow | undefined> {
  return scopeMarches(db, marchesQuery(db), actor).where('m.ref', ref).first();
}

/** The marchés of a contractor (SIRET, or SIREN for every establishment) the actor may read. */
export async function visibleMarchesOfContractor(db: Knex, actor: Actor, id: string): Promise<ComplianceMarcheRow[]> {
  return scopeMarches(db, marchesQuery(db), actor).where(id.length === 14 ? 'co.siret' : 'co.siren', id);
}

/** Realised hours of marchés, from the rollups, by marché id. */
export async function realisedByMarche(db: Knex, ids: number[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows: Array<{ key: string; c: unknown }> = await db('report_hours')
    .where('dim', 'marche')
    .whereIn('key', ids.map(String))
    .select('key')
    .sum({ c: 'centihours' })
    .groupBy('key');
  return new Map(rows.map((r) => [String(r.key), Number(r.c ?? 0)]));
}
