import type { Knex } from 'knex';
import type { Actor } from '../accounts/actor.js';
import { actorContractorIds } from '../accounts/policy.js';
import { isPostgres } from '../db/knex.js';
import { insertReturningId } from '../db/rows.js';

/**
 * The next sequence number of a year, inside the caller's transaction. On PostgreSQL the
 * counter row is locked FOR UPDATE until commit, so concurrent issues queue up and a
 * rolled-back issue gives its number back; SQLite serialises transactions anyway.
 */
export async function nextSeq(trx: Knex, year: number): Promise<number> {
  await trx('attestation_counters').insert({ year, last_seq: 0 }).onConflict('year').ignore();
  const q = trx('attestation_counters').where({ year }).first('last_seq');
  const row = await (isPostgres(trx) ? q.forUpdate() : q);
  const seq = Number(row.last_seq) + 1;
  await trx('attestation_counters').where({ year }).update({ last_seq: seq });
  return seq;
}

export const insertAttestation = (db: Knex, row: Record<string, unknown>) => insertReturningId(db, 'attestations', row);

export function attestationsQuery(db: Knex) {
  return db('attestations as a')
    .leftJoin('structures as s', 's.id', 'a.structure_id')
    .select('a.*', 's.code as structure_code')
    .orderBy([
      { column: 'a.year', order: 'asc' },
      { column: 'a.seq', order: 'asc' },
    ]);
}

/**
 * Attestations an actor may read: admin all; facilitator its structure's; contractor the
 * clause attestations of its own marchés; departement the RSA attestations of its Département.
 */
export function scopeAttestations<Q extends Knex.QueryBuilder>(db: Knex, q: Q, actor: Actor): Q {
  switch (actor.role) {
    case 'admin':
      return q;
    case 'facilitator':
      return q.where('a.structure_id', actor.structureId ?? -1) as Q;
    case 'contractor':
      return q.where('a.kind', 'clause').whereIn('a.contractor_id', actorContractorIds(db, actor)) as Q;
    case 'departement':
      return q.where('a.kind', 'rsa').where('a.departement_code', actor.departementCode ?? '-') as Q;
    default:
      return q.whereRaw('1 = 0') as Q;
  }
}

export const findByCode = (db: Knex, code: string) => attestationsQuery(db).where('a.verification_code', code).first();

export async function markRevoked(
  db: Knex,
  id: number,
  row: { revoked_at: string; revoked_by: number | null; revoke_reason: string },
) {
  // Only an unrevoked row changes: two concurrent revokes cannot both succeed.
  return db('attestations').where({ id }).whereNull('revoked_at').update(row);
}

/** Refs of the marchés that already have a valid (unrevoked) clause attestation. */
export function attestedMarcheRefs(db: Knex) {
  return db('attestations').where({ kind: 'clause' }).whereNull('revoked_at').select('subject_ref');
}
