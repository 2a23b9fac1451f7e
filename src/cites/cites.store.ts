import type { Knex } from 'knex';
import { errors } from '../core/errors.js';
import { containsPattern, type PageRequest, singleKey } from '../core/paging.js';
import { isUniqueViolation } from '../db/rows.js';

/** A cité with the codes of its EPCI, Département and bailleur. */
export interface CiteRow {
  id: number;
  code: string;
  name: string;
  commune: string;
  epci_code: string;
  departement_code: string;
  bailleur_code: string | null;
  bailleur_name: string | null;
}

export interface IdRow {
  id: number;
}

export interface NewCiteRow {
  code: string;
  name: string;
  commune: string;
  epci_id: number;
  bailleur_id: number | null;
  programme_id: number;
}

export interface ProgrammeRow {
  id: number;
  code: string;
  name: string;
  target_centihours: number;
  start_date: string;
  end_date: string;
}

export interface CiteFilter {
  /** Part of the code, the name or the commune. */
  q?: string;
}

const citeColumns = [
  'ci.id',
  'ci.code',
  'ci.name',
  'ci.commune',
  'e.code as epci_code',
  'e.departement_code',
  'b.code as bailleur_code',
  'b.name as bailleur_name',
];

export function citesQuery(db: Knex) {
  return db('cites as ci')
    .join('epcis as e', 'e.id', 'ci.epci_id')
    .leftJoin('bailleurs as b', 'b.id', 'ci.bailleur_id')
    .select(citeColumns)
    .orderBy('ci.code');
}

/** One page of cités in code order (`limit + 1` rows: the last one only says there is more). */
export async function listCites(db: Knex, filter: CiteFilter, page: PageRequest): Promise<CiteRow[]> {
  const q = citesQuery(db);
  const after = singleKey(page);
  if (after !== null) q.where('ci.code', '>', after);
  if (filter.q) {
    const p = containsPattern(filter.q);
    q.where((w) =>
      w
        .whereRaw("lower(ci.code) like ? escape '\\'", [p])
        .orWhereRaw("lower(ci.name) like ? escape '\\'", [p])
        .orWhereRaw("lower(ci.commune) like ? escape '\\'", [p]),
    );
  }
  return q.limit(page.limit + 1);
}

export async function findCiteByCode(db: Knex, code: string): Promise<CiteRow | undefined> {
  return citesQuery(db).where('ci.code', code).first();
}

export async function findEpciByCode(db: Knex, code: string): Promise<IdRow | undefined> {
  return db('epcis').where({ code }).first('id');
}
export async function findBailleurByCode(db: Knex, code: string): Promise<IdRow | undefined> {
  return db('bailleurs').where({ code }).first('id');
}
export async function findProgrammeByCode(db: Knex, code: string): Promise<ProgrammeRow | undefined> {
  return db('programmes').where({ code }).first();
}

/** Inserts a cité; a code already taken is a duplicate (409), whoever wrote it first. */
export async function insertCite(db: Knex, row: NewCiteRow): Promise<void> {
  try {
    await db('cites').insert(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw errors.duplicate('cite', row.code);
    throw e;
  }
}
