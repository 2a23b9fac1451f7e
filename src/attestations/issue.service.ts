import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import { ROLE_LABELS, type Actor } from '../accounts/actor.js';
import { assertWriter } from '../accounts/policy.js';
import { functionOf } from '../accounts/accounts.store.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { findStructureById } from '../structures/structures.store.js';
import type { BaseFacts, ClauseFacts, Facts, ParticipantFacts, RsaFacts } from './facts.js';
import { initialsOf } from './facts.js';
import * as factsStore from './facts.store.js';
import * as store from './attestations.store.js';
import { loadTemplates, snapshotFor } from './templates.js';

export type IssueInput =
  | { kind: 'clause'; marcheRef: string }
  | { kind: 'participant'; participantRef: string }
  | { kind: 'rsa'; departement: string; from: string; to: string };

export interface Issued {
  number: string;
  verificationCode: string;
  verifyUrl: string;
  pdfUrl: string;
}

/** Where scoping columns come from; kept apart from the facts the PDF shows. */
interface Scope {
  structure: IssuerStructure | null;
  contractorId: number | null;
  departementCode: string | null;
  subjectRef: string;
}

type Draft = {
  facts: Omit<Facts, keyof BaseFacts> & { kind: Facts['kind'] };
  scope: Scope;
  programme: { code: string; name: string };
};

// The calendar day of issue is the French one (an attestation issued at 00:30 in Lens on
// 1 January belongs to the new year).
const parisDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Both URLs are absolute, on the public address (PUBLIC_URL). */
export const pdfUrlOf = (ctx: Pick<AppContext, 'config'>, number: string) =>
  `${ctx.config.publicUrl}/api/v1/attestations/${number}.pdf`;
export const verifyUrlOf = (ctx: AppContext, code: string) => `${ctx.config.publicUrl}/verify/${code}`;

type IssuerStructure = { id: number; code: string; name: string; kind: string | null };

async function structureById(db: Knex, id: number): Promise<IssuerStructure | null> {
  const s = await findStructureById(db, id);
  return s ? { id: Number(s.id), code: String(s.code), name: String(s.name), kind: s.kind ?? null } : null;
}

async function actorStructure(db: Knex, actor: Actor): Promise<IssuerStructure | null> {
  if (actor.role !== 'facilitator' || !actor.structureId) return null;
  return structureById(db, actor.structureId);
}

async function clauseDraft(trx: Knex, actor: Actor, marcheRef: string): Promise<Draft> {
  // A facilitator issues for the marchés of its structure's cités; others get the same 404.
  const visible = await factsStore.marcheVisible(trx, actor, marcheRef);
  const m = visible ? await factsStore.marcheSource(trx, marcheRef) : undefined;
  if (!m) throw errors.notFound('marche', marcheRef);
  const contracts = await factsStore.marcheContracts(trx, m.id);
  const required = Number(m.required_centihours);
  const realised = contracts.reduce((s, c) => s + c.centihours, 0);
  const followed = await factsStore.structureOfCite(trx, m.cite_id);
  const structure = (await actorStructure(trx, actor)) ?? (followed ? await structureById(trx, followed.id) : null);
  const facts: Omit<ClauseFacts, keyof BaseFacts> & { kind: 'clause' } = {
    kind: 'clause',
    marche: { ref: m.ref, title: m.title, startDate: m.start_date, endDate: m.end_date },
    cite: { code: m.cite_code, name: m.cite_name, commune: m.commune },
    contractor: { name: m.contractor_name, siret: m.contractor_siret },
    requiredCentihours: required,
    realisedCentihours: realised,
    remainingCentihours: Math.max(0, required - realised),
    fulfilled: realised >= required,
    contracts: contracts.map((c) => ({
      ref: c.ref,
      participantRef: c.participant_ref,
      initials: initialsOf(c.first_name, c.last_name),
      contractType: c.contract_type,
      startDate: c.start_date,
      endDate: c.end_date,
      centihours: c.centihours,
    })),
  };
  return {
    facts,
    scope: { structure, contractorId: m.contractor_id, departementCode: null, subjectRef: m.ref },
    programme: { code: m.programme_code, name: m.programme_name },
  };
}

async function participantDraft(trx: Knex, actor: Actor, ref: string): Promise<Draft> {
  const p = await factsStore.findParticipant(trx, ref);
  // Names are personal data: only admins and the facilitator of the participant's own
  // structure may put them on an attestation (docs/accounts.md).
  const own = p && (actor.role === 'admin' || (actor.structureId !== null && p.structure_id === actor.structureId));
  if (!own) throw errors.notFound('participant', ref);
  // A contract without hours is no work done: it is neither counted nor listed.
  const contracts = (await factsStore.participantContracts(trx, p.id)).filter((c) => c.centihours > 0);
  const firsts = contracts.map((c) => c.first_month).filter((x): x is string => !!x);
  const lasts = contracts.map((c) => c.last_month).filter((x): x is string => !!x);
  const facts: Omit<ParticipantFacts, keyof BaseFacts> & { kind: 'participant' } = {
    kind: 'participant',
    person: { ref: p.ref, firstName: p.first_name ?? null, lastName: p.last_name ?? null },
    totalCentihours: contracts.reduce((s, c) => s + c.centihours, 0),
    // The months with hours, never the contracts' planned dates (which may lie in the future).
    period: firsts.length ? { from: firsts.sort()[0]!, to: lasts.sort()[lasts.length - 1]! } : null,
    contracts: contracts.map((c) => ({
      ref: c.ref,
      marcheRef: c.marche_ref,
      citeName: c.cite_name,
      contractType: c.contract_type,
      startDate: c.start_date,
      endDate: c.end_date,
      centihours: c.centihours,
    })),
  };
  const structure = p.structure_id ? await structureById(trx, p.structure_id) : null;
  return {
    facts,
    scope: {
      structure,
      contractorId: null,
      departementCode: null,
      subjectRef: p.ref,
    },
    programme: await factsStore.defaultProgramme(trx),
  };
}

async function rsaDraft(
  trx: Knex,
  actor: Actor,
  input: { departement: string; from: string; to: string },
): Promise<Draft> {
  if (input.from > input.to) throw errors.invalidPeriod();
  const dep = await factsStore.findDepartement(trx, input.departement);
  if (!dep) throw errors.notFound('departement', input.departement);
  const out = await factsStore.rsaOutcomes(trx, input.departement, input.from, input.to);
  const facts: Omit<RsaFacts, keyof BaseFacts> & { kind: 'rsa' } = {
    kind: 'rsa',
    departement: { code: dep.code, name: dep.name },
    period: { from: input.from, to: input.to },
    ...out,
  };
  return {
    facts,
    scope: {
      structure: await actorStructure(trx, actor),
      contractorId: null,
      departementCode: dep.code,
      subjectRef: dep.code,
    },
    programme: await factsStore.defaultProgramme(trx),
  };
}

function draftFor(trx: Knex, actor: Actor, input: IssueInput): Promise<Draft> {
  switch (input.kind) {
    case 'clause':
      return clauseDraft(trx, actor, input.marcheRef);
    case 'participant':
      return participantDraft(trx, actor, input.participantRef);
    case 'rsa':
      return rsaDraft(trx, actor, input);
  }
}

/**
 * Issues one attestation: computes its facts, takes the next number of the year and stores
 * both in one transaction (all or nothing). The CLI calls it once per attestation.
 */
export async function issueAttestation(ctx: AppContext, actor: Actor, input: IssueInput): Promise<Issued> {
  assertWriter(actor);
  return ctx.db.transaction(async (trx) => {
    const draft = await draftFor(trx, actor, input);
    const issuedAt = nowIso(ctx);
    const issueDate = parisDay.format(new Date(issuedAt));
    const year = Number(issueDate.slice(0, 4));
    const seq = await store.nextSeq(trx, year);
    const number = `ATT-${year}-${String(seq).padStart(6, '0')}`;
    const code = crypto.randomBytes(18).toString('base64url'); // 144 bits, unguessable
    const verifyUrl = verifyUrlOf(ctx, code);
    const common = loadTemplates().common;
    const s = draft.scope.structure;
    // The signatory is a person: an account with a function set (`accounts update --function`).
    // Without one (a bootstrap token, a shared account) the body signs alone.
    const fn = await functionOf(trx, actor.id);
    const facts = {
      ...draft.facts,
      number,
      issuedAt,
      issueDate,
      place: (s && common.places[s.code]) ?? common.places.default ?? '',
      verifyUrl,
      programme: draft.programme,
      issuer: {
        name: fn ? actor.name : null,
        function: fn,
        roleLabel: ROLE_LABELS[actor.role],
        structureCode: s?.code ?? null,
        structureName: s?.name ?? common.programmeTeam,
        structureKind: s ? (s.kind ?? 'structure') : null,
      },
    } as Facts;
    await store.insertAttestation(trx, {
      number,
      year,
      seq,
      kind: input.kind,
      verification_code: code,
      facts: JSON.stringify(facts),
      template: JSON.stringify(snapshotFor(input.kind)),
      issued_at: issuedAt,
      issued_by: actor.id,
      structure_id: s?.id ?? null,
      contractor_id: draft.scope.contractorId,
      departement_code: draft.scope.departementCode,
      subject_ref: draft.scope.subjectRef,
    });
    await audit(trx, {
      at: issuedAt,
      accountId: actor.id,
      action: 'attestation.issue',
      entity: 'attestation',
      ref: number,
      details: { kind: input.kind, subject: draft.scope.subjectRef },
    });
    return { number, verificationCode: code, verifyUrl, pdfUrl: pdfUrlOf(ctx, number) };
  });
}
