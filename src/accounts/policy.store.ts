import type { Knex } from 'knex';
import type { Actor } from './actor.js';

// The SQL of the authorisation scopes (src/accounts/policy.ts): sub-queries that stores
// compose into their own queries, so that every row-level read is scoped in SQL.

/** Sub-query of the cité ids a facilitator's structure covers (through its EPCIs). */
export function structureCiteIds(db: Knex, structureId: number) {
  return db('cites')
    .select('id')
    .whereIn('epci_id', db('structure_epcis').select('epci_id').where('structure_id', structureId));
}

/** Sub-query of the contractor ids a contractor account speaks for (its SIREN or one SIRET). */
export function actorContractorIds(db: Knex, actor: Actor) {
  const q = db('contractors').select('id');
  return actor.contractorSiret
    ? q.where('siret', actor.contractorSiret)
    : q.where('siren', actor.contractorSiren ?? '-');
}

/**
 * Restricts a query that has a marchés table aliased `m` (columns m.cite_id, m.contractor_id)
 * to the rows the actor may read.
 */
export function scopeMarches<Q extends Knex.QueryBuilder>(db: Knex, q: Q, actor: Actor, alias = 'm'): Q {
  switch (actor.role) {
    case 'admin':
      return q;
    case 'facilitator':
      return q.whereIn(`${alias}.cite_id`, structureCiteIds(db, actor.structureId ?? -1)) as Q;
    case 'contractor':
      return q.whereIn(`${alias}.contractor_id`, actorContractorIds(db, actor)) as Q;
    default:
      return q.whereRaw('1 = 0') as Q;
  }
}

/** True when the structure covers the cité. */
export async function structureCoversCite(db: Knex, structureId: number, citeId: number): Promise<boolean> {
  return !!(await structureCiteIds(db, structureId).where('id', citeId).first());
}
