import type { Knex } from 'knex';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertWriter, canReadPeople } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { isUniqueViolation } from '../db/rows.js';
import { findStructureByCode } from '../structures/structures.store.js';
import * as store from './participants.store.js';

export interface ParticipantInput {
  ref: string;
  firstName?: string | null;
  lastName?: string | null;
  birthDate: string;
  sex: 'F' | 'M';
  structure?: string | null;
}

const initials = (r: Record<string, any>) =>
  [r.first_name, r.last_name]
    .map((s: string | null) => (s ? s.trim()[0]?.toUpperCase() + '.' : ''))
    .join(' ')
    .trim() || null;

/** Admins and facilitators see the identity; others only the ref and initials. */
export function participantView(r: Record<string, any>, actor: Actor) {
  if (!canReadPeople(actor)) return { ref: r.ref, initials: initials(r) };
  return {
    ref: r.ref,
    firstName: r.first_name,
    lastName: r.last_name,
    birthDate: r.birth_date,
    sex: r.sex,
    structure: r.structure_code ?? null,
  };
}

export async function listParticipants(ctx: AppContext, actor: Actor) {
  if (actor.role === 'departement') throw errors.forbidden('la liste des participants');
  const rows = await store.scopeParticipants(ctx.db, store.participantsQuery(ctx.db), actor);
  // A list with names and birth dates is an identity view too (one audit line per list).
  if (canReadPeople(actor))
    await audit(ctx.db, {
      at: nowIso(ctx),
      accountId: actor.id,
      action: 'participant.list_identity',
      entity: 'participant',
      details: { count: rows.length },
    });
  return rows.map((r) => participantView(r, actor));
}

export async function getVisibleParticipant(db: Knex, actor: Actor, ref: string) {
  if (actor.role === 'departement') throw errors.forbidden('les participants');
  const r = await store.scopeParticipants(db, store.participantsQuery(db), actor).where('p.ref', ref).first();
  if (!r) throw errors.notFound('participant', ref);
  return r;
}

export async function getParticipant(ctx: AppContext, actor: Actor, ref: string) {
  const r = await getVisibleParticipant(ctx.db, actor, ref);
  if (canReadPeople(actor)) {
    await audit(ctx.db, {
      at: nowIso(ctx),
      accountId: actor.id,
      action: 'participant.view_identity',
      entity: 'participant',
      ref,
    });
  }
  return participantView(r, actor);
}

/** The structure a new participant belongs to: the facilitator's own, or the one an admin names. */
async function owningStructureId(db: Knex, actor: Actor, code?: string | null): Promise<number | null> {
  if (actor.role === 'facilitator') return actor.structureId;
  if (!code) return null;
  const s = await findStructureByCode(db, code);
  if (!s) throw errors.unknown('structure', code);
  return s.id;
}

export async function insertNewParticipant(
  trx: Knex,
  ctx: AppContext,
  actor: Actor,
  input: ParticipantInput,
): Promise<number> {
  const at = nowIso(ctx);
  const id = await store.insertParticipant(trx, {
    ref: input.ref,
    first_name: input.firstName ?? null,
    last_name: input.lastName ?? null,
    birth_date: input.birthDate,
    sex: input.sex,
    structure_id: await owningStructureId(trx, actor, input.structure),
    created_at: at,
  });
  await audit(trx, { at, accountId: actor.id, action: 'participant.create', entity: 'participant', ref: input.ref });
  return id;
}

export async function createParticipant(ctx: AppContext, actor: Actor, input: ParticipantInput) {
  assertWriter(actor);
  if (input.birthDate > nowIso(ctx).slice(0, 10)) throw errors.birthDateInFuture();
  return ctx.db.transaction(async (trx) => {
    try {
      await insertNewParticipant(trx, ctx, actor, input);
    } catch (e) {
      if (isUniqueViolation(e)) throw errors.duplicate('participant', input.ref);
      throw e;
    }
    return participantView(await store.findParticipantByRef(trx, input.ref), actor);
  });
}
