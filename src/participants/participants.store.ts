import type { Knex } from 'knex';
import { insertReturningId } from '../db/rows.js';
import type { Actor } from '../accounts/actor.js';
import { scopeMarches } from '../accounts/policy.js';

export function participantsQuery(db: Knex) {
  return db('participants as p')
    .leftJoin('structures as s', 's.id', 'p.structure_id')
    .select('p.*', 's.code as structure_code')
    .orderBy('p.ref');
}

/** Participants the actor may see: its structure's, or those with a contract in its scope. */
export function scopeParticipants<Q extends Knex.QueryBuilder>(db: Knex, q: Q, actor: Actor): Q {
  if (actor.role === 'admin') return q;
  const inScopeContracts = scopeMarches(
    db,
    db('contracts as c').join('marches as m', 'm.id', 'c.marche_id').select('c.participant_id'),
    actor,
  );
  if (actor.role === 'facilitator')
    return q.where((w) => w.where('p.structure_id', actor.structureId ?? -1).orWhereIn('p.id', inScopeContracts)) as Q;
  return q.whereIn('p.id', inScopeContracts) as Q;
}

export const findParticipantByRef = (db: Knex, ref: string) => participantsQuery(db).where('p.ref', ref).first();

export const insertParticipant = (db: Knex, row: Record<string, unknown>) => insertReturningId(db, 'participants', row);
