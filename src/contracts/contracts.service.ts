import type { Knex } from 'knex';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertCanWriteCite, canReadPeople } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { type Page, type PageRequest, toPage } from '../core/paging.js';
import { findMarcheByRef } from '../marches/marches.store.js';
import { findParticipantByRef } from '../participants/participants.store.js';
import { frozenCategories, type Category } from './categories.js';
import * as store from './contracts.store.js';
import { contractView, type ContractView } from './contracts.view.js';

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

/** Who may read contracts at all: admins, facilitators and contractors (within their scope). */
function assertCanReadContracts(actor: Actor): void {
  if (!canReadPeople(actor) && actor.role !== 'contractor') throw errors.forbidden('les contrats');
}

export async function listContracts(
  ctx: AppContext,
  actor: Actor,
  filter: Omit<store.ContractFilter, 'today' | 'names'>,
  page: PageRequest,
): Promise<Page<ContractView>> {
  assertCanReadContracts(actor);
  const today = nowIso(ctx).slice(0, 10);
  // Only who may read names may search by them.
  const rows = await store.listContracts(ctx.db, actor, { ...filter, today, names: canReadPeople(actor) }, page);
  return toPage(
    rows,
    page,
    (r) => [r.ref],
    (r) => contractView(r, actor),
  );
}

/** A contract the actor may read, or 404 (never telling whether it exists elsewhere). */
export async function getVisibleContract(db: Knex, actor: Actor, ref: string): Promise<store.ContractJoinedRow> {
  assertCanReadContracts(actor);
  const r = await store.findVisibleContract(db, actor, ref);
  if (!r) throw errors.notFound('contract', ref);
  return r;
}

export async function getContract(ctx: AppContext, actor: Actor, ref: string) {
  return contractView(await getVisibleContract(ctx.db, actor, ref), actor);
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
export function contractRow(
  input: ContractInput,
  birthDate: string,
): Omit<store.NewContractRow, 'participant_id' | 'marche_id' | 'created_at'> {
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
    await store.insertContract(trx, {
      ...contractRow(input, participant.birth_date),
      participant_id: participant.id,
      marche_id: marche.id,
      created_at: at,
    });
    await audit(trx, { at, accountId: actor.id, action: 'contract.create', entity: 'contract', ref: input.ref });
    return contractView((await store.findContractByRef(trx, input.ref))!, actor);
  });
}
