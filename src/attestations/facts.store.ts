import type { Knex } from 'knex';
import type { Actor } from '../accounts/actor.js';
import { scopeMarches } from '../accounts/policy.js';
import { toNum } from '../db/rows.js';

// The queries an attestation's facts come from, over contracts and the contract_months
// rollup (the ledger's per-month totals). Run inside the issuing transaction.

/** True when the actor may read the marché (the same answer for unknown and out of scope). */
export async function marcheVisible(db: Knex, actor: Actor, ref: string): Promise<boolean> {
  return !!(await scopeMarches(db, db('marches as m').select('m.id'), actor).where('m.ref', ref).first());
}

export function marcheSource(db: Knex, ref: string) {
  return db('marches as m')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .join('epcis as e', 'e.id', 'ci.epci_id')
    .join('contractors as co', 'co.id', 'm.contractor_id')
    .join('programmes as pr', 'pr.id', 'ci.programme_id')
    .where('m.ref', ref)
    .first(
      'm.id',
      'm.ref',
      'm.title',
      'm.start_date',
      'm.end_date',
      'm.required_centihours',
      'm.cite_id',
      'm.contractor_id',
      'ci.code as cite_code',
      'ci.name as cite_name',
      'ci.commune',
      'e.departement_code',
      'co.name as contractor_name',
      'co.siret as contractor_siret',
      'pr.code as programme_code',
      'pr.name as programme_name',
    );
}

/** Contracts of a marché with their total hours, by contract ref. */
export async function marcheContracts(db: Knex, marcheId: number) {
  const rows = await db('contracts as c')
    .join('participants as p', 'p.id', 'c.participant_id')
    .leftJoin('contract_months as cm', 'cm.contract_id', 'c.id')
    .where('c.marche_id', marcheId)
    .groupBy('c.id', 'c.ref', 'c.contract_type', 'c.start_date', 'c.end_date', 'p.ref', 'p.first_name', 'p.last_name')
    .select(
      'c.ref',
      'c.contract_type',
      'c.start_date',
      'c.end_date',
      'p.ref as participant_ref',
      'p.first_name',
      'p.last_name',
    )
    .select(db.raw('COALESCE(SUM(cm.centihours), 0) AS centihours'))
    .orderBy('c.ref');
  return rows.map((r) => ({ ...r, centihours: toNum(r.centihours) }));
}

export interface ParticipantContractRow {
  ref: string;
  contract_type: string;
  start_date: string;
  end_date: string;
  marche_ref: string;
  cite_name: string;
  centihours: number;
  first_month: string | null; // first and last months with hours > 0
  last_month: string | null;
}

/** Contracts of a participant with their total hours and months with hours, by start date then ref. */
export async function participantContracts(db: Knex, participantId: number): Promise<ParticipantContractRow[]> {
  const rows = await db('contracts as c')
    .join('marches as m', 'm.id', 'c.marche_id')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .leftJoin('contract_months as cm', 'cm.contract_id', 'c.id')
    .where('c.participant_id', participantId)
    .groupBy('c.id', 'c.ref', 'c.contract_type', 'c.start_date', 'c.end_date', 'm.ref', 'ci.name')
    .select('c.ref', 'c.contract_type', 'c.start_date', 'c.end_date', 'm.ref as marche_ref', 'ci.name as cite_name')
    .select(db.raw('COALESCE(SUM(cm.centihours), 0) AS centihours'))
    .select(db.raw('MIN(CASE WHEN cm.centihours > 0 THEN cm.month END) AS first_month'))
    .select(db.raw('MAX(CASE WHEN cm.centihours > 0 THEN cm.month END) AS last_month'))
    .orderBy([{ column: 'c.start_date' }, { column: 'c.ref' }]);
  return rows.map((r: ParticipantContractRow) => ({ ...r, centihours: toNum(r.centihours) }));
}

export interface ParticipantRow {
  id: number;
  ref: string;
  first_name: string | null;
  last_name: string | null;
  structure_id: number | null;
}

export async function findParticipant(db: Knex, ref: string): Promise<ParticipantRow | undefined> {
  return db('participants').where({ ref }).first('id', 'ref', 'first_name', 'last_name', 'structure_id');
}

export async function findDepartement(db: Knex, code: string): Promise<{ code: string; name: string } | undefined> {
  return db('departements').where({ code }).first('code', 'name');
}

/**
 * RSA outcomes of a Département: contracts carrying RSA paid by that Département (the
 * category is frozen at contract start), months within the period.
 */
function rsaMonths(db: Knex, departement: string, from: string, to: string) {
  return db('contract_months as cm')
    .join('contracts as c', 'c.id', 'cm.contract_id')
    .join('marches as m', 'm.id', 'c.marche_id')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .where('c.cat_rsa', true)
    .where('c.rsa_departement', departement)
    .whereBetween('cm.month', [from, to]);
}

const sums = [
  'COALESCE(SUM(cm.centihours), 0) AS centihours',
  'COUNT(DISTINCT CASE WHEN cm.centihours > 0 THEN c.participant_id END) AS beneficiaries',
  'COUNT(DISTINCT CASE WHEN cm.centihours > 0 THEN c.id END) AS contracts',
].join(', ');

export async function rsaOutcomes(db: Knex, departement: string, from: string, to: string) {
  const total = await rsaMonths(db, departement, from, to).first(db.raw(sums));
  const byCite = await rsaMonths(db, departement, from, to)
    .groupBy('ci.code', 'ci.name', 'ci.commune')
    .select('ci.code', 'ci.name', 'ci.commune', db.raw(sums))
    .havingRaw('SUM(cm.centihours) > 0')
    .orderBy('ci.code');
  const n = (r: Record<string, unknown>) => ({
    centihours: toNum(r.centihours),
    beneficiaries: toNum(r.beneficiaries),
    contracts: toNum(r.contracts),
  });
  return {
    ...n(total ?? {}),
    byCite: byCite.map((r) => ({ code: r.code, name: r.name, commune: r.commune, ...n(r) })),
  };
}

/** The structure that follows a cité (its EPCI's), first by code when several do. */
export const structureOfCite = (db: Knex, citeId: number) =>
  db('structures as s')
    .join('structure_epcis as se', 'se.structure_id', 's.id')
    .join('cites as ci', 'ci.epci_id', 'se.epci_id')
    .where('ci.id', citeId)
    .orderBy('s.code')
    .first('s.id', 's.code', 's.name');

export const defaultProgramme = (db: Knex) => db('programmes').orderBy('id').first('code', 'name');

export interface MarcheRealisedRow {
  ref: string;
  required_centihours: number;
  cite_name: string;
  contractor_name: string;
  realised: number;
  required: number;
}

/** Marchés with their realised hours (for the CLI), by ref; optionally one ref or a structure's cités. */
export async function marchesWithRealised(
  db: Knex,
  filter: { ref?: string; structureId?: number },
): Promise<MarcheRealisedRow[]> {
  const realised = db('contract_months as cm')
    .join('contracts as c', 'c.id', 'cm.contract_id')
    .groupBy('c.marche_id')
    .select('c.marche_id', db.raw('SUM(cm.centihours) AS centihours'))
    .as('r');
  const q = db('marches as m')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .join('contractors as co', 'co.id', 'm.contractor_id')
    .leftJoin(realised, 'r.marche_id', 'm.id')
    .select(
      'm.ref',
      'm.required_centihours',
      'ci.name as cite_name',
      'co.name as contractor_name',
      db.raw('COALESCE(r.centihours, 0) AS realised'),
    )
    .orderBy('m.ref');
  if (filter.ref) q.where('m.ref', filter.ref);
  if (filter.structureId !== undefined)
    q.whereIn('ci.epci_id', db('structure_epcis').select('epci_id').where('structure_id', filter.structureId));
  return (await q).map((r: MarcheRealisedRow) => ({
    ...r,
    required: toNum(r.required_centihours),
    realised: toNum(r.realised),
  }));
}
