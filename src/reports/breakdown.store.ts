import type { Knex } from 'knex';
import { BASE_FROM, type Dimension } from './dimensions.js';
import type { Actor } from '../accounts/actor.js';
import type { ViewerScope } from './disclosure.js';
import type { Period } from './rollups/index.js';

export interface PairRow {
  k1: string;
  k2: string;
  centihours: number;
  beneficiaries: number;
  contracts: number;
}

/**
 * Two contract dimensions at once (e.g. cité x catégorie): exact, from the contract-month
 * totals rather than the rollups (which keep one dimension, with month or year, each).
 * Each contract is first reduced to its hours in the period and whether it had a month
 * > 0 (totals are never negative), then grouped: one pass over contract_months.
 */
export async function pairBreakdown(
  db: Knex,
  programmeId: number,
  d1: Dimension,
  d2: Dimension,
  period: Period,
): Promise<PairRow[]> {
  const inner: string[] = [];
  const params: Array<string | number> = [];
  if (period.from) {
    inner.push('month >= ?');
    params.push(period.from);
  }
  if (period.to) {
    inner.push('month <= ?');
    params.push(period.to);
  }
  params.push(programmeId);
  const where = ['ci.programme_id = ?', d1.where, d2.where].filter(Boolean);
  const from = BASE_FROM.replace(
    'FROM contract_months cm',
    `FROM (SELECT contract_id, SUM(centihours) AS centihours, MAX(centihours) AS top FROM contract_months
       ${inner.length ? `WHERE ${inner.join(' AND ')}` : ''} GROUP BY contract_id) cm`,
  );
  const r = await db.raw(
    `SELECT ${d1.sql} AS k1, ${d2.sql} AS k2, SUM(cm.centihours) AS centihours,
       COUNT(DISTINCT CASE WHEN cm.top > 0 THEN c.participant_id END) AS beneficiaries,
       COUNT(DISTINCT CASE WHEN cm.top > 0 THEN c.id END) AS contracts
     ${from} ${d1.join ?? ''} ${d2.join ?? ''}
     WHERE ${where.join(' AND ')}
     GROUP BY ${d1.sql}, ${d2.sql}`,
    params,
  );
  type Raw = { k1: unknown; k2: unknown; centihours: unknown; beneficiaries: unknown; contracts: unknown };
  const rows: Raw[] = Array.isArray(r) ? r : r.rows;
  return rows.map((x) => ({
    k1: String(x.k1),
    k2: String(x.k2),
    centihours: Number(x.centihours ?? 0),
    beneficiaries: Number(x.beneficiaries ?? 0),
    contracts: Number(x.contracts ?? 0),
  }));
}

/** The keys of the place dimensions that lie within an actor's scope (see disclosure.ts). */
export async function scopeKeys(db: Knex, actor: Actor): Promise<ViewerScope> {
  if (actor.role === 'admin') return { all: true, keys: {} };
  let epcis: Knex.QueryBuilder;
  const extra: Partial<Record<string, Set<string>>> = {};
  if (actor.role === 'facilitator' && actor.structureId) {
    epcis = db('structure_epcis').where('structure_id', actor.structureId).select('epci_id as id');
    extra.structure = new Set([String(actor.structureId)]);
  } else if (actor.role === 'departement' && actor.departementCode) {
    epcis = db('epcis').where('departement_code', actor.departementCode).select('id');
    extra.departement = new Set([actor.departementCode]);
  } else return { all: false, keys: {} };
  const cites = db('cites').whereIn('epci_id', epcis.clone()).select('id');
  const ids = async (q: Knex.QueryBuilder): Promise<Set<string>> => {
    const rows: Array<{ id: number }> = await q;
    return new Set(rows.map((r) => String(r.id)));
  };
  const [epci, cite, marche] = await Promise.all([
    ids(epcis),
    ids(cites.clone()),
    ids(db('marches').whereIn('cite_id', cites).select('id')),
  ]);
  return { all: false, keys: { epci, cite, marche, ...extra } };
}

/** id (or code), code and label of every row of a reference table, for report labels. */
export async function labelRows(
  db: Knex,
  table: string,
  code: string,
  label: string,
): Promise<Array<{ id: string | number; code: string; label: string }>> {
  const id = table === 'departements' ? 'code' : 'id';
  return db(table).select(`${id} as id`, `${code} as code`, `${label} as label`);
}
