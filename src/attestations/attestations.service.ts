import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertWriter } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { toHours } from '../lib/hours.js';
import { KIND_LABELS, initialsOf, type Facts, type Kind } from './facts.js';
import * as store from './attestations.store.js';
import { pdfUrlOf } from './issue.service.js';

export { issueAttestation } from './issue.service.js';

const factsOf = (row: Pick<store.AttestationRow, 'facts'>): Facts => JSON.parse(row.facts);

/** The API shape of an attestation. */
export function attestationView(ctx: Pick<AppContext, 'config'>, row: store.AttestationListRow) {
  const f = factsOf(row);
  return {
    number: row.number,
    kind: row.kind,
    subject: row.subject_ref,
    issuedAt: row.issued_at,
    issueDate: f.issueDate,
    structure: row.structure_code ?? null,
    // Who signed: a person, or the body itself when no person signs.
    issuer: f.issuer.name ?? f.issuer.structureName,
    status: row.revoked_at ? 'revoked' : 'valid',
    revokedAt: row.revoked_at ?? null,
    revokeReason: row.revoke_reason ?? null,
    verifyUrl: f.verifyUrl,
    pdfUrl: pdfUrlOf(ctx, row.number),
  };
}

export async function listAttestations(
  ctx: AppContext,
  actor: Actor,
  filter: { kind?: Kind; status?: 'valid' | 'revoked' },
) {
  return (await store.listVisible(ctx.db, actor, filter)).map((r) => attestationView(ctx, r));
}

/** An attestation the actor may read, or 404 (never telling whether the number exists). */
async function visible(ctx: AppContext, actor: Actor, number: string) {
  const row = await store.findVisible(ctx.db, actor, number);
  if (!row) throw errors.notFound('attestation', number);
  return row;
}

export async function getAttestation(ctx: AppContext, actor: Actor, number: string) {
  return attestationView(ctx, await visible(ctx, actor, number));
}

/** The PDF, always rendered from the stored facts and templates: the same bytes at every download. */
export async function attestationPdf(ctx: AppContext, actor: Actor, number: string): Promise<Buffer> {
  const row = await visible(ctx, actor, number);
  // The PDF renderer (pdfkit, fontkit, qrcode) loads on the first download, not at start-up.
  const { renderAttestation } = await import('./render.js');
  return renderAttestation(factsOf(row), row.template ? JSON.parse(row.template) : undefined);
}

/** Admins, or a facilitator for its structure's attestations, revoke with a reason. */
export async function revokeAttestation(ctx: AppContext, actor: Actor, number: string, reason: string) {
  assertWriter(actor);
  return ctx.db.transaction(async (trx) => {
    const row = await store.findVisible(trx, actor, number);
    if (!row) throw errors.notFound('attestation', number);
    if (row.revoked_at) throw errors.alreadyRevoked(number);
    const at = nowIso(ctx);
    const changed = await store.markRevoked(trx, row.id, {
      revoked_at: at,
      revoked_by: actor.id,
      revoke_reason: reason,
    });
    if (!changed) throw errors.alreadyRevoked(number);
    await audit(trx, {
      at,
      accountId: actor.id,
      action: 'attestation.revoke',
      entity: 'attestation',
      ref: number,
      details: { reason },
    });
    return attestationView(ctx, { ...row, revoked_at: at, revoke_reason: reason });
  });
}

/**
 * What anyone holding the code may see: status, kind, number, date, issuer and key figures;
 * nothing personal beyond the attestation (a participant appears as initials and ref).
 */
export function publicView(row: store.AttestationRow) {
  const f = factsOf(row);
  const base = {
    status: row.revoked_at ? ('revoked' as const) : ('valid' as const),
    statusLabel: row.revoked_at ? 'révoquée' : 'valide',
    kind: f.kind,
    kindLabel: KIND_LABELS[f.kind],
    number: f.number,
    issueDate: f.issueDate,
    revokedAt: row.revoked_at ? String(row.revoked_at).slice(0, 10) : null,
    issuer: { structure: f.issuer.structureName, signatory: f.issuer.name ?? null },
    programme: f.programme.name,
  };
  switch (f.kind) {
    case 'clause':
      return {
        ...base,
        clause: {
          marche: { ref: f.marche.ref, title: f.marche.title },
          cite: f.cite.name,
          contractor: f.contractor,
          requiredHours: toHours(f.requiredCentihours),
          realisedHours: toHours(f.realisedCentihours),
          remainingHours: toHours(f.remainingCentihours),
          fulfilled: f.fulfilled,
          contracts: f.contracts.length,
        },
      };
    case 'participant':
      return {
        ...base,
        participant: {
          ref: f.person.ref,
          initials: initialsOf(f.person.firstName, f.person.lastName),
          hours: toHours(f.totalCentihours),
          contracts: f.contracts.length,
        },
      };
    case 'rsa':
      return {
        ...base,
        rsa: {
          departement: f.departement,
          period: f.period,
          hours: toHours(f.centihours),
          beneficiaries: f.beneficiaries,
          contracts: f.contracts,
        },
      };
  }
}

export type PublicView = ReturnType<typeof publicView>;

const CODE_RE = /^[A-Za-z0-9_-]{16,64}$/;

/** Public verification; unknown and malformed codes give the same 404. */
export async function verifyAttestation(ctx: AppContext, code: string): Promise<PublicView> {
  const row = CODE_RE.test(code) ? await store.findByCode(ctx.db, code) : undefined;
  if (!row) throw errors.notFound('attestation');
  return publicView(row);
}
