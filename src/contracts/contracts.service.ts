import type { Knex } from 'knex';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertCanWriteCite, canReadPeople, scopeMarches } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { isUniqueViolation } from '../db/rows.js';
import { findMarcheByRef } from '../marches/marches.store.js';
import { findParticipantByRef } from '../participants/participants.store.js';
import { frozenCategories, type Category } from './categories.js';
import * as store from './contracts.store.js';

export interface ContractInput {
  ref: string;
  participantRef: string;
  marcheRef: string;
  employerSiret: string;
  contractType: string;
  mode: string;
  startDate: string;
  endDate: string;
  categories: Category[]; // declared ones; JEUNE/SENIOR are computed here
  rsaDepartement?: string | null;
}

export const contractView = (r: Record<string, any>) => ({
  ref: r.ref,
  participantRef: r.participant_ref,
  marcheRef: r.marche_ref,
  employerSiret: r.employer_siret,
  contractType: r.contract_type,
  mode: r.mode,
  startDate: r.start_date,
  endDate: r.end_date,
  categories: r.categories ? String(r.categories).split(',') : [],
  rsaDepartement: r.rsa_departement ?? null,
  exitOutcome: r.exit_outcome ?? null,
});

export function scopedContracts(db: Knex, actor: Actor) {
  if (!canReadPeople(actor) && actor.role !== 'contractor') throw errors.forbidden('les contrats');
  return scopeMarches(db, store.contractsQuery(db), actor);
}

export async function listContracts(ctx: AppContext, actor: Actor, filter: { marche?: string; participant?: string }) {
  const q = scopedContracts(ctx.db, actor);
  if (filter.marche) q.where('m.ref', filter.marche);
  if (filter.participant) q.where('p.ref', filter.participant);
  return (await q).map(contractView);
}

export async function getVisibleContract(db: Knex, actor: Actor, ref: string) {
  const r = await scopedContracts(db, actor).where('c.ref', ref).first();
  if (!r) throw errors.notFound('contract', ref);
  return r;
}

/** Checks an RSA contract names its paying Département, and only then. */
export function rsaDepartementMessage(categories: Category[], rsaDepartement?: string | null): string | null {
  if (categories.includes('RSA') && !rsaDepartement)
    return 'Le Département payeur du RSA (59 ou 62) est obligatoire pour un bénéficiaire du RSA.';
  if (!categories.includes('RSA') && rsaDepartement)
    return 'Un Département payeur du RSA est indiqué sans la catégorie RSA.';
  return null;
}

/** The row of a new contract, with its categories frozen on its start date. */
export function contractRow(input: ContractInput, birthDate: string) {
  const cats = frozenCategories(input.categories, birthDate, input.startDate);
  return {
    ref: input.ref,
    employer_siret: input.employerSiret,
    contract_type: input.contractType,
    mode: input.mode,
    start_date: input.startDate,
    end_date: input.endDate,
    categories: cats.join(','),
    cat_rsa: cats.includes('RSA'),
    cat_jeune: cats.includes('JEUNE'),
    cat_senior: cats.includes('SENIOR'),
    rsa_departement: cats.includes('RSA') ? (input.rsaDepartement ?? null) : null,
  };
}

export async function createContract(ctx: AppContext, actor: Actor, input: ContractInput) {
  if (input.endDate < input.startDate) throw errors.invalidDates('contract');
  const rsaMsg = rsaDepartementMessage(input.categories, input.rsaDepartement);
  if (rsaMsg) throw errors.invalidRsaDepartement(rsaMsg);
  return ctx.db.transaction(async (trx) => {
    const marche = await findMarcheByRef(trx, input.marcheRef);
    if (!marche) throw errors.unknown('marche', input.marcheRef);
    await assertCanWriteCite(trx, actor, marche.cite_id);
    const participant = await findParticipantByRef(trx, input.participantRef);
    if (!participant) throw errors.unknown('participant', input.participantRef);
    const at = nowIso(ctx);
    try {
      await store.insertContract(trx, {
        ...contractRow(input, participant.birth_date),
        participant_id: participant.id,
        marche_id: marche.id,
        created_at: at,
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw errors.duplicate('contract', input.ref);
      throw e;
    }
    await audit(trx, { at, accountId: actor.id, action: 'contract.create', entity: 'contract', ref: input.ref });
    return contractView(await store.findContractByRef(trx, input.ref));
  });
}
