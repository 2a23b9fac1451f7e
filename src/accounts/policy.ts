import type { Knex } from 'knex';
import type { Actor } from './actor.js';
import { errors } from '../core/errors.js';

// Authorisation in one place (DESIGN.md section 2). Every row-level query of marchés,
// contracts, participants and hours goes through these scopes.

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

/** Roles that may read row-level data about people (names, contracts, hours). */
export function canReadPeople(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'facilitator';
}

/** Writes (participants, contracts, hours, imports) are for admins and facilitators in scope. */
export async function assertCanWriteCite(db: Knex, actor: Actor, citeId: number): Promise<void> {
  if (actor.role === 'admin') return;
  if (actor.role !== 'facilitator' || !actor.structureId) throw errors.forbidden('cette opération');
  const ok = await structureCiteIds(db, actor.structureId).where('id', citeId).first();
  if (!ok) throw errors.forbidden('cette cité (hors du périmètre de votre structure)');
}

export function assertWriter(actor: Actor): void {
  if (actor.role !== 'admin' && actor.role !== 'facilitator') throw errors.forbidden('cette opération');
}

export function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw errors.forbidden('cette opération (réservée aux administrateurs)');
}
