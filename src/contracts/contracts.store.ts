import type { Knex } from 'knex';
import type { Actor } from '../accounts/actor.js';
import { scopeMarches } from '../accounts/policy.js';
import { errors } from '../core/errors.js';
import { containsPattern, type PageRequest, singleKey } from '../core/paging.js';
import { insertReturningId, isUniqueViolation } from '../db/rows.js';
import type { Category } from './categories.js';

/** A row of `contracts`: categories are those frozen on its start date. */
export interface ContractRow {
  id: number;
  ref: string;
  participant_id: number;
  marche_id: number;
  employer_siret: string;
  contract_type: string;
  mode: string;
  start_date: string;
  end_date: string;
  /** Comma list, canonical order. */
  categories: string;
  /** Booleans: true/false on PostgreSQL, 1/0 on SQLite. */
  cat_rsa: boolean | number;
  cat_jeune: boolean | number;
  cat_senior: boolean | number;
  rsa_departement: string | null;
  exit_outcome: string | null;
  created_at: string;
}

/** A contract with what lists and rules need of its marché, cité and participant. */
export interface ContractJoinedRow extends ContractRow {
  marche_ref: string;
  cite_id: number;
  epci_id: number;
  participant_ref: string;
  participant_first_name: string | null;
  participant_last_name: string | null;
}

export type NewContractRow = Omit<ContractRow, 'id' | 'exit_outcome'>;

export interface ContractFilter {
  /** Part of the contract's ref or the participant's ref; of the participant's names when `names`. */
  q?: string;
  names?: boolean;
  marche?: string;
  participant?: string;
  cite?: string;
  /** `active`: not ended on `today` (including those to come); `ended`: ended before `today`. */
  status?: 'active' | 'ended';
  today: string;
}

function contractsQuery(db: Knex) {
  return db('contracts as c')
    .join('marches as m', 'm.id', 'c.marche_id')
    .join('participants as p', 'p.id', 'c.participant_id')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .select(
      'c.*',
      'm.ref as marche_ref',
      'm.cite_id',
      'ci.epci_id',
      'p.ref as participant_ref',
      'p.first_name as participant_first_name',
      'p.last_name as participant_last_name',
    )
    .orderBy('c.ref');
}

const scoped = (db: Knex, actor: Actor) => scopeMarches(db, contractsQuery(db), actor);

/** One page of the contracts the actor may read, in ref order (`limit + 1` rows). */
export async function listContracts(
  db: Knex,
  actor: Actor,
  filter: ContractFilter,
  page: PageRequest,
): Promise<ContractJoinedRow[]> {
  const q = scoped(db, actor);
  const after = singleKey(page);
  if (after !== null) q.where('c.ref', '>', after);
  if (filter.marche) q.where('m.ref', filter.marche);
  if (filter.participant) q.where('p.ref', filter.participant);
  if (filter.cite) q.where('ci.code', filter.cite);
  if (filter.status === 'active') q.where('c.end_date', '>=', filter.today);
  if (filter.status === 'ended') q.where('c.end_date', '<', filter.today);
  if (filter.q) {
    const p = containsPattern(filter.q);
    q.where((w) => {
      w.whereRaw("lower(c.ref) like ? escape '\\'", [p]).orWhereRaw("lower(p.ref) like ? escape '\\'", [p]);
      if (filter.names)
        w.orWhereRaw("lower(p.first_name) like ? escape '\\'", [p]).orWhereRaw(
          "lower(p.last_name) like ? escape '\\'",
          [p],
        );
    });
  }
  return q.limit(page.limit + 1);
}

export async function findVisibleContract(db: Knex, actor: Actor, ref: string): Promise<ContractJoinedRow | undefined> {
  return scoped(db, actor).where('c.ref', ref).first();
}

export async function findContractByRef(db: Knex, ref: string): Promise<ContractJoinedRow | undefined> {
  return contractsQuery(db).where('c.ref', ref).first();
}

export async function insertContract(db: Knex, row: NewContractRow): Promise<number> {
  try {
    return await insertReturningId(db, 'contracts', row);
  } catch (e) {
    if (isUniqueViolation(e)) throw errors.duplicate('contract', row.ref);
    throw e;
  }
}

export async function setExitOutcome(db: Knex, id: number, outcome: string | null): Promise<void> {
  await db('contracts').where({ id }).update({ exit_outcome: outcome });
}

/** New frozen categories of a contract not yet started (its participant's birth date changed). */
export async function updateContractCategories(db: Knex, id: number, categories: Category[]): Promise<void> {
  await db('contracts')
    .where({ id })
    .update({
      categories: categories.join(','),
      cat_jeune: categories.includes('JEUNE'),
      cat_senior: categories.includes('SENIOR'),
    });
}
