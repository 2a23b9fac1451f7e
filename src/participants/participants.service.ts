import type { Knex } from 'knex';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertWriter, canReadPeople } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { type Page, type PageRequest, toPage } from '../core/paging.js';
import { formatDateFr } from '../lib/dates.js';
import { findStructureByCode } from '../structures/structures.store.js';
import { frozenCategories, type Category } from '../contracts/categories.js';
import { updateContractCategories } from '../contracts/contracts.store.js';
import { withRollupsRefreshed } from '../reports/rollups/index.js';
import * as store from './participants.store.js';
import { participantView, type ParticipantView } from './participants.view.js';

export interface ParticipantInput {
  ref: string;
  firstName?: string | null;
  lastName?: string | null;
  birthDate: string;
  sex: 'F' | 'M';
  structure?: string | null;
}

/** What an edit of a participant's identity may change; `null` names clear them. */
export interface ParticipantPatch {
  firstName?: string | null;
  lastName?: string | null;
  birthDate?: string;
  sex?: 'F' | 'M';
  /** Admins only: the structure that follows the participant. */
  structure?: string;
}

export async function listParticipants(
  ctx: AppContext,
  actor: Actor,
  filter: { q?: string },
  page: PageRequest,
): Promise<Page<ParticipantView>> {
  if (actor.role === 'departement') throw errors.forbidden('la liste des participants');
  // Only who may read names may search by them (a search answers "is there a Martin?").
  const names = canReadPeople(actor);
  const rows = await store.listParticipants(ctx.db, actor, { q: filter.q, names }, page);
  const out = toPage(
    rows,
    page,
    (r) => [r.ref],
    (r) => participantView(r, actor),
  );
  // A list with names and birth dates is an identity view too (one audit line per page).
  if (names)
    await audit(ctx.db, {
      at: nowIso(ctx),
      accountId: actor.id,
      action: 'participant.list_identity',
      entity: 'participant',
      details: { count: out.items.length },
    });
  return out;
}

export async function getVisibleParticipant(db: Knex, actor: Actor, ref: string): Promise<store.ParticipantJoinedRow> {
  if (actor.role === 'departement') throw errors.forbidden('les participants');
  const r = await store.findVisibleParticipant(db, actor, ref);
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
    await insertNewParticipant(trx, ctx, actor, input);
    return participantView((await store.findParticipantByRef(trx, input.ref))!, actor);
  });
}

const COMPUTED: readonly string[] = ['JEUNE', 'SENIOR'];

/**
 * The contracts whose age categories a new birth date changes. Categories are frozen on a
 * contract's start date: a contract not yet started takes the new ones; a started one cannot.
 */
function recategorised(contracts: store.ParticipantContractRow[], birthDate: string, today: string) {
  const upcoming: Array<{ id: number; categories: Category[] }> = [];
  const started: store.ParticipantContractRow[] = [];
  for (const c of contracts) {
    const declared = c.categories.split(',').filter((x) => x && !COMPUTED.includes(x)) as Category[];
    const next = frozenCategories(declared, birthDate, c.start_date);
    if (next.join(',') === c.categories) continue;
    if (c.start_date <= today) started.push(c);
    else upcoming.push({ id: c.id, categories: next });
  }
  return { upcoming, started };
}

/**
 * Edits a participant's identity (names, birth date, sex; its structure for admins). Admins,
 * and the facilitator of the participant's structure. Audited (which fields, never the names).
 */
export async function updateParticipant(ctx: AppContext, actor: Actor, ref: string, input: ParticipantPatch) {
  assertWriter(actor);
  const today = nowIso(ctx).slice(0, 10);
  if (input.birthDate && input.birthDate > today) throw errors.birthDateInFuture();
  return ctx.db.transaction(async (trx) => {
    const p = await getVisibleParticipant(trx, actor, ref);
    if (actor.role === 'facilitator' && p.structure_id !== actor.structureId)
      throw errors.forbidden('ce participant (suivi par une autre structure)');
    if (input.structure !== undefined && actor.role !== 'admin')
      throw errors.forbidden('cette opération (seul un administrateur change la structure d’un participant)');

    const fields: store.ParticipantFields = {};
    if (input.firstName !== undefined && input.firstName !== p.first_name) fields.first_name = input.firstName;
    if (input.lastName !== undefined && input.lastName !== p.last_name) fields.last_name = input.lastName;
    if (input.birthDate !== undefined && input.birthDate !== p.birth_date) fields.birth_date = input.birthDate;
    if (input.sex !== undefined && input.sex !== p.sex) fields.sex = input.sex;
    if (input.structure !== undefined && input.structure !== p.structure_code) {
      const s = await findStructureByCode(trx, input.structure);
      if (!s) throw errors.unknown('structure', input.structure);
      fields.structure_id = s.id;
    }
    if (Object.keys(fields).length === 0) return participantView(p, actor);

    const contracts = await store.contractsOfParticipant(trx, p.id);
    const { upcoming, started } = fields.birth_date
      ? recategorised(contracts, fields.birth_date, today)
      : { upcoming: [], started: [] };
    if (started.length)
      throw errors.categoriesFrozen(
        ref,
        started.map((c) => `${c.ref} (commencé le ${formatDateFr(c.start_date)})`),
      );
    const apply = async () => {
      await store.updateParticipant(trx, p.id, fields);
      for (const c of upcoming) await updateContractCategories(trx, c.id, c.categories);
    };
    // Reports count hours by sex and by category: keep their rollups exact through the change.
    if ((fields.sex || upcoming.length) && contracts.length)
      await withRollupsRefreshed(trx, [...new Set(contracts.map((c) => c.marche_id))], apply);
    else await apply();

    // Names are personal data: the log says they changed, not what they are.
    const changed = Object.keys(fields) as Array<keyof store.ParticipantFields>;
    const values = (r: store.ParticipantFields) =>
      Object.fromEntries(changed.filter((k) => k !== 'first_name' && k !== 'last_name').map((k) => [k, r[k]]));
    await audit(trx, {
      at: nowIso(ctx),
      accountId: actor.id,
      action: 'participant.update',
      entity: 'participant',
      ref,
      details: {
        fields: changed,
        before: values(p),
        after: values(fields),
        recategorised: contracts.filter((c) => upcoming.some((u) => u.id === c.id)).map((c) => c.ref),
      },
    });
    return participantView((await store.findParticipantByRef(trx, ref))!, actor);
  });
}
