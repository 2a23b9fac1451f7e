import type { Knex } from 'knex';
import type { Actor } from '../accounts/actor.js';
import { actorContractorIds } from '../accounts/policy.js';
import { isPostgres } from '../db/knex.js';
import { insertReturningId } from '../db/rows.js';
import type { Kind } from './facts.js';

/**
 * The next sequence number of a year, inside the caller's transaction. On PostgreSQL the
 * counter row is locked FOR UPDATE until commit, so concurrent issues queue up and a
 * rolled-back issue gives its number back; SQLite serialises transactions anyway.
 */
export async function nextSeq(trx: Knex, year: number): Promise<number> {
  await trx('attestation_counters').insert({ year, last_seq: 0 }).onConflict('year').ignore();
  const q = trx('attestation_counters').where({ year }).first('last_seq');
  const row: { last_seq: number } = await (isPostgres(trx) ? q.forUpdate() : q);
  const seq = Number(row.last_seq) + 1;
  await trx('attestation_counters').where({ year }).update({ last_seq: seq });
  return seq;
}

/** A row of `attestations` (db/migrations/007_attestations.ts). */
export interface AttestationRow {
  id: number;
  number: string;
  year: number;
  seq: number;
  kind: Kind;
  verification_code: string;
  facts: string; // JSON
  template: string | null; // JSON
  issued_at: string;
  issued_by: number | null;
  structure_id: number | null;
  contractor_id: number | null;
  departement_code: string | null;
  subject_ref: string | null;
  revoked_at: string | null;
  revoked_by: number | null;
  revoke_reason: string | null;
}

/** An attestation with the code of its structure. */
export type AttestationListRow = AttestationRow & { structure_code: string | null };

export const insertAttestation = (
  db: Knex,
  row: Omit<AttestationRow, 'id' | 'revoked_at' | 'revoked_by' | 'revoke_reason'>,
) => insertReturningId(db, 'attestations', row);

function attestationsQuery(db: Knex) {
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
function scopeAttestations<Q extends Knex.QueryBuilder>(db: Knex, q: Q, actor: Actor): Q {
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

/** The attestations an actor may read, in number order, optionally filtered. */
export async function listVisible(
  db: Knex,
  actor: Actor,
  filter: { kind?: Kind; status?: 'valid' | 'revoked' },
): Promise<AttestationListRow[]> {
  const q = scopeAttestations(db, attestationsQuery(db), actor);
  if (filter.kind) q.where('a.kind', filter.kind);
  if (filter.status === 'valid') q.whereNull('a.revoked_at');
  if (filter.status === 'revoked') q.whereNotNull('a.revoked_at');
  return q;
}

/** One attestation by number, if the actor may read it. */
export async function findVisible(db: Knex, actor: Actor, number: string): Promise<AttestationListRow | undefined> {
  return scopeAttestations(db, attestationsQuery(db), actor).where('a.number', number).first();
}

export async function findByCode(db: Knex, code: string): Promise<AttestationListRow | undefined> {
  return attestationsQuery(db).where('a.verification_code', code).first();
}

export async function markRevoked(
  db: Knex,
  id: number,
  row: { revoked_at: string; revoked_by: number | null; revoke_reason: string },
) {
  // Only an unrevoked row changes: two concurrent revokes cannot both succeed.
  return db('attestations').where({ id }).whereNull('revoked_at').update(row);
}

/** Refs of the marchés that already have a valid (unrevoked) clause attestation. */
export async function attestedMarcheRefs(db: Knex): Promise<string[]> {
  return db('attestations').where({ kind: 'clause' }).whereNull('revoked_at').pluck('subject_ref');
}
