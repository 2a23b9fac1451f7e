import type { Knex } from 'knex';
import type { Actor } from '../accounts/actor.js';
import { scopeMarches } from '../accounts/policy.js';
import { errors } from '../core/errors.js';
import { containsPattern, type PageRequest, singleKey } from '../core/paging.js';
import { insertReturningId, isUniqueViolation } from '../db/rows.js';

/** A row of `participants`: a person known by a pseudonymous ref, with an identity. */
export interface ParticipantRow {
  id: number;
  ref: string;
  first_name: string | null;
  last_name: string | null;
  birth_date: string;
  sex: 'F' | 'M';
  structure_id: number | null;
  created_at: string;
  pseudonymised_at: string | null;
}

/** A participant with the code of the structure that follows it. */
export interface ParticipantJoinedRow extends ParticipantRow {
  structure_code: string | null;
}

export type NewParticipantRow = Omit<ParticipantRow, 'id' | 'pseudonymised_at'>;
export type ParticipantFields = Partial<
  Pick<ParticipantRow, 'first_name' | 'last_name' | 'birth_date' | 'sex' | 'structure_id'>
>;

export interface ParticipantFilter {
  /** Part of the ref; of the names too when `names` (only for who may read them). */
  q?: string;
  names?: boolean;
}

function participantsQuery(db: Knex) {
  return db('participants as p')
    .leftJoin('structures as s', 's.id', 'p.structure_id')
    .select('p.*', 's.code as structure_code')
    .orderBy('p.ref');
}

/** Participants the actor may see: its structure's, or those with a contract in its scope. */
function scopeParticipants<Q extends Knex.QueryBuilder>(db: Knex, q: Q, actor: Actor): Q {
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

/** One page of the participants the actor may see, in ref order (`limit + 1` rows). */
export async function listParticipants(
  db: Knex,
  actor: Actor,
  filter: ParticipantFilter,
  page: PageRequest,
): Promise<ParticipantJoinedRow[]> {
  const q = scopeParticipants(db, participantsQuery(db), actor);
  const after = singleKey(page);
  if (after !== null) q.where('p.ref', '>', after);
  if (filter.q) {
    const p = containsPattern(filter.q);
    q.where((w) => {
      w.whereRaw("lower(p.ref) like ? escape '\\'", [p]);
      if (filter.names)
        w.orWhereRaw("lower(p.first_name) like ? escape '\\'", [p]).orWhereRaw(
          "lower(p.last_name) like ? escape '\\'",
          [p],
        );
    });
  }
  return q.limit(page.limit + 1);
}

export async function findVisibleParticipant(
  db: Knex,
  actor: Actor,
  ref: string,
): Promise<ParticipantJoinedRow | undefined> {
  return scopeParticipants(db, participantsQuery(db), actor).where('p.ref', ref).first();
}

export async function findParticipantByRef(db: Knex, ref: string): Promise<ParticipantJoinedRow | undefined> {
  return participantsQuery(db).where('p.ref', ref).first();
}

export async function insertParticipant(db: Knex, row: NewParticipantRow): Promise<number> {
  try {
    return await insertReturningId(db, 'participants', row);
  } catch (e) {
    if (isUniqueViolation(e)) throw errors.duplicate('participant', row.ref);
    throw e;
  }
}

export async function updateParticipant(db: Knex, id: number, fields: ParticipantFields): Promise<void> {
  await db('participants').where({ id }).update(fields);
}

/** A contract of a participant, with what its frozen categories were computed from. */
export interface ParticipantContractRow {
  id: number;
  ref: string;
  marche_id: number;
  start_date: string;
  categories: string;
}

export async function contractsOfParticipant(db: Knex, participantId: number): Promise<ParticipantContractRow[]> {
  return db('contracts')
    .where('participant_id', participantId)
    .select('id', 'ref', 'marche_id', 'start_date', 'categories')
    .orderBy('ref');
}

// Retention (purge.service.ts).

/** Refs of the participants not yet pseudonymised with no hours since `cutoffMonth`, in ref order. */
export async function purgeCandidates(db: Knex, cutoffMonth: string): Promise<string[]> {
  const recent = db('contracts as c')
    .join('contract_months as cm', 'cm.contract_id', 'c.id')
    .where('cm.month', '>=', cutoffMonth)
    .where('cm.centihours', '<>', 0)
    .select('c.participant_id');
  return (
    db('participants as p')
      .whereNull('p.pseudonymised_at')
      .whereNotIn('p.id', recent)
      // Without any hours, the participant's own creation date stands for its last activity.
      .where((w) =>
        w
          .whereIn(
            'p.id',
            db('contracts as c').join('contract_months as cm', 'cm.contract_id', 'c.id').select('c.participant_id'),
          )
          .orWhere('p.created_at', '<', `${cutoffMonth}-01`),
      )
      .orderBy('p.ref')
      .pluck('p.ref')
  );
}

/** Of these refs, the participants still holding an identity. */
export async function notPseudonymised(
  db: Knex,
  refs: string[],
): Promise<Array<Pick<ParticipantRow, 'id' | 'birth_date'>>> {
  return db('participants').whereIn('ref', refs).whereNull('pseudonymised_at').select('id', 'birth_date');
}

export async function pseudonymise(db: Knex, id: number, birthDate: string, at: string): Promise<void> {
  await db('participants')
    .where({ id })
    .update({ first_name: null, last_name: null, birth_date: birthDate, pseudonymised_at: at });
}
