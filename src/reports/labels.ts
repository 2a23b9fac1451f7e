import type { Knex } from 'knex';
import { CATEGORY_LABELS } from '../contracts/categories.js';
import { labelRows } from './breakdown.store.js';

// Codes and French labels of dimension keys. Rollup keys are ids for what can be renamed
// (cités, marchés...) so that a rename never splits a row; they are turned into codes here.

export const CONTRACT_TYPE_LABELS: Record<string, string> = {
  CDI: 'CDI',
  CDD: 'CDD',
  INTERIM: 'Intérim',
  CDDI: 'CDDI (insertion)',
  PRO: 'Contrat de professionnalisation',
  APPRENTISSAGE: 'Apprentissage',
  AUTRE: 'Autre',
};
export const MODE_LABELS: Record<string, string> = {
  DIRECT: 'Embauche directe',
  ETTI: 'ETTI (intérim d’insertion)',
  GEIQ: 'GEIQ',
  SIAE: 'SIAE',
  MAD: 'Mise à disposition (AI, ACI)',
};
export const SEX_LABELS: Record<string, string> = { F: 'Femme', M: 'Homme' };
export const AGE_BAND_LABELS: Record<string, string> = {
  '<26': 'Moins de 26 ans',
  '26-49': '26 à 49 ans',
  '50+': '50 ans et plus',
};

export interface KeyLabel {
  code: string | null;
  label: string;
  /** Position when the keys have a natural order other than their code's (age bands). */
  rank?: number;
}

const fixed = (labels: Record<string, string>) => async () =>
  new Map(Object.entries(labels).map(([k, label]) => [k, { code: k, label }]));
/** Keys in the order of the labels' declaration. */
const ordered = (labels: Record<string, string>) => async () =>
  new Map(Object.entries(labels).map(([k, label], rank) => [k, { code: k, label, rank }]));

async function fromTable(db: Knex, table: string, code: string, label: string, none?: string) {
  const rows = await labelRows(db, table, code, label);
  const out = new Map<string, KeyLabel>(rows.map((r) => [String(r.id), { code: r.code, label: r.label }]));
  if (none) out.set('', { code: null, label: none });
  return out;
}

const LOADERS: Record<string, (db: Knex) => Promise<Map<string, KeyLabel>>> = {
  cite: (db) => fromTable(db, 'cites', 'code', 'name'),
  epci: (db) => fromTable(db, 'epcis', 'code', 'name'),
  structure: (db) => fromTable(db, 'structures', 'code', 'name'),
  bailleur: (db) => fromTable(db, 'bailleurs', 'code', 'name', 'Sans bailleur'),
  contractor: (db) => fromTable(db, 'contractors', 'siret', 'name'),
  marche: (db) => fromTable(db, 'marches', 'ref', 'title'),
  departement: async (db) =>
    new Map(
      (await labelRows(db, 'departements', 'code', 'name')).map((r) => [
        r.code,
        { code: r.code, label: `${r.code} ${r.label}` },
      ]),
    ),
  category: fixed(CATEGORY_LABELS),
  contractType: fixed(CONTRACT_TYPE_LABELS),
  mode: fixed(MODE_LABELS),
  sex: fixed(SEX_LABELS),
  ageBand: ordered(AGE_BAND_LABELS),
};

/** Labels of the keys of a dimension (marchés and contractors only for the keys asked). */
export async function labelsFor(db: Knex, dim: string): Promise<(key: string) => KeyLabel> {
  const load = LOADERS[dim];
  const map = load ? await load(db) : new Map<string, KeyLabel>();
  return (key) => map.get(key) ?? { code: key, label: key };
}
