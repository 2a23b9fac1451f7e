import type { Knex } from 'knex';
import type { Actor } from '../accounts/actor.js';
import { actorContractorIds, scopeMarches } from '../accounts/policy.js';
import { errors } from '../core/errors.js';
import { containsPattern, type PageRequest, singleKey } from '../core/paging.js';
import { insertReturningId, isUniqueViolation } from '../db/rows.js';

export interface ContractorRow {
  id: number;
  siret: string;
  siren: string;
  name: string;
  created_at: string;
}

export interface ContractorFilter {
  /** Part of the SIRET or of the name. */
  q?: string;
}

export async function findContractorBySiret(db: Knex, siret: string): Promise<ContractorRow | undefined> {
  return db('contractors').where({ siret }).first();
}

/** Contractors a contractor account sees: its own establishments; every other role sees all. */
function visibleContractors(db: Knex, actor: Actor) {
  const q = db('contractors').select('id', 'siret', 'siren', 'name', 'created_at');
  if (actor.role === 'contractor') q.whereIn('id', actorContractorIds(db, actor));
  return q;
}

/** One page of the contractors the actor sees, in SIRET order (`limit + 1` rows). */
export async function listContractors(
  db: Knex,
  actor: Actor,
  filter: ContractorFilter,
  page: PageRequest,
): Promise<ContractorRow[]> {
  const q = visibleContractors(db, actor).orderBy('siret');
  const after = singleKey(page);
  if (after !== null) q.where('siret', '>', after);
  if (filter.q) {
    const p = containsPattern(filter.q);
    const digits = filter.q.replace(/\s/g, '');
    q.where((w) => {
      w.whereRaw("lower(name) like ? escape '\\'", [p]);
      if (/^\d+$/.test(digits)) w.orWhere('siret', 'like', `${digits}%`);
    });
  }
  return q.limit(page.limit + 1);
}

export async function findVisibleContractor(db: Knex, actor: Actor, siret: string): Promise<ContractorRow | undefined> {
  return visibleContractors(db, actor).where('siret', siret).first();
}

/** True when a facilitator may rename the contractor: it holds a marché in its scope, or none at all yet. */
export async function contractorInScope(db: Knex, actor: Actor, contractorId: number): Promise<boolean> {
  if (actor.role === 'admin') return true;
  const held = await db('marches').where('contractor_id', contractorId).first('id');
  if (!held) return true;
  const mine = await scopeMarches(db, db('marches as m').where('m.contractor_id', contractorId), actor).first('m.id');
  return Boolean(mine);
}

export async function insertContractor(
  db: Knex,
  row: { siret: string; siren: string; name: string; created_at: string },
): Promise<number> {
  try {
    return await insertReturningId(db, 'contractors', row);
  } catch (e) {
    if (isUniqueViolation(e)) throw errors.duplicate('contractor', row.siret);
    throw e;
  }
}

export async function renameContractor(db: Knex, id: number, name: string): Promise<void> {
  await db('contractors').where({ id }).update({ name });
}
