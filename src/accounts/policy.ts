import type { Knex } from 'knex';
import type { Actor } from './actor.js';
import { errors } from '../core/errors.js';
import { structureCoversCite } from './policy.store.js';

// Authorisation in one place (docs/accounts.md). Every row-level query of marchés,
// contracts, participants and hours goes through these scopes (their SQL: policy.store.ts).

export { actorContractorIds, scopeMarches, structureCiteIds } from './policy.store.js';

/** Roles that may read row-level data about people (names, contracts, hours). */
export function canReadPeople(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'facilitator';
}

/** Writes (participants, contracts, hours, imports) are for admins and facilitators in scope. */
export async function assertCanWriteCite(db: Knex, actor: Actor, citeId: number): Promise<void> {
  if (actor.role === 'admin') return;
  if (actor.role !== 'facilitator' || !actor.structureId) throw errors.forbidden('cette opération');
  if (!(await structureCoversCite(db, actor.structureId, citeId)))
    throw errors.forbidden('cette cité (hors du périmètre de votre structure)');
}

export function assertWriter(actor: Actor): void {
  if (actor.role !== 'admin' && actor.role !== 'facilitator') throw errors.forbidden('cette opération');
}

export function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw errors.forbidden('cette opération (réservée aux administrateurs)');
}
