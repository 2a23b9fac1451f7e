import type { Knex } from 'knex';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertCanWriteCite, assertWriter } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { type Page, type PageRequest, toPage } from '../core/paging.js';
import { formatDateFr, monthOf } from '../lib/dates.js';
import { formatMonthFr } from '../lib/html.js';
import { findCiteByCode } from '../cites/cites.store.js';
import { findContractorBySiret, insertContractor, renameContractor } from '../contractors/contractors.store.js';
import * as store from './marches.store.js';
import { toHours } from '../lib/hours.js';
import { marcheView, type MarcheView } from './marches.view.js';
import { withRollupsRefreshed } from '../reports/rollups/index.js';

export interface MarcheInput {
  ref: string;
  citeCode: string;
  title: string;
  contractorSiret: string;
  contractorName?: string | null;
  amountCents: number;
  requiredCentihours: number;
  startDate: string;
  endDate: string;
}

/** What an edit of a marché may change (its ref never changes). */
export type MarchePatch = Partial<Omit<MarcheInput, 'ref'>>;

export async function listMarches(
  ctx: AppContext,
  actor: Actor,
  filter: store.MarcheFilter,
  page: PageRequest,
): Promise<Page<MarcheView>> {
  return toPage(await store.listMarches(ctx.db, actor, filter, page), page, (r) => [r.ref], marcheView);
}

/** A marché the actor may read, or 404 (never telling whether it exists elsewhere). */
export async function getVisibleMarche(db: Knex, actor: Actor, ref: string): Promise<store.MarcheJoinedRow> {
  const r = await store.findVisibleMarche(db, actor, ref);
  if (!r) throw errors.notFound('marche', ref);
  return r;
}

export async function getMarche(ctx: AppContext, actor: Actor, ref: string) {
  return marcheView(await getVisibleMarche(ctx.db, actor, ref));
}

export type SaveOutcome = 'created' | 'updated' | 'unchanged';

const LISTED = 10;
const listed = (items: string[]) =>
  items.length > LISTED ? [...items.slice(0, LISTED), `et ${items.length - LISTED} autres`] : items;

/**
 * An avenant moves a marché's dates: what was inside the old dates and would be outside the
 * new ones is refused, named (contracts with their dates, months of hours). What already lay
 * outside the old dates is not the avenant's doing and does not block it.
 */
async function assertDatesKeepContracts(trx: Knex, existing: store.MarcheRow, start: string, end: string) {
  if (existing.start_date === start && existing.end_date === end) return;
  const within = (s: string, e: string, from: string, to: string) => s >= from && e <= to;
  const contracts = (await store.contractSpans(trx, existing.id)).filter(
    (c) =>
      within(c.start_date, c.end_date, existing.start_date, existing.end_date) &&
      !within(c.start_date, c.end_date, start, end),
  );
  const [oldFrom, oldTo] = [monthOf(existing.start_date), monthOf(existing.end_date)];
  const months = (await store.hoursMonthsOutside(trx, existing.id, monthOf(start), monthOf(end))).filter(
    (h) => h.month >= oldFrom && h.month <= oldTo,
  );
  if (!contracts.length && !months.length) return;
  const reasons: string[] = [];
  if (contracts.length)
    reasons.push(
      `${contracts.length > 1 ? 'les contrats' : 'le contrat'} ${listed(
        contracts.map((c) => `${c.ref} (du ${formatDateFr(c.start_date)} au ${formatDateFr(c.end_date)})`),
      ).join(', ')}`,
    );
  if (months.length) {
    const byContract = new Map<string, string[]>();
    for (const h of months) byContract.set(h.contract_ref, [...(byContract.get(h.contract_ref) ?? []), h.month]);
    reasons.push(
      `des heures déjà saisies : ${listed(
        [...byContract].map(([ref, ms]) => `${ref} en ${listed(ms.map(formatMonthFr)).join(', ')}`),
      ).join(', ')}`,
    );
  }
  throw errors.marcheDatesConflict(existing.ref, reasons);
}

/**
 * Creates a marché, or updates it when `allowUpdate` (imports re-declare marchés, edits).
 * Runs inside the caller's transaction; throws typed errors on bad references.
 */
export async function saveMarche(
  trx: Knex,
  ctx: AppContext,
  actor: Actor,
  input: MarcheInput,
  { allowUpdate }: { allowUpdate: boolean },
): Promise<SaveOutcome> {
  if (input.endDate < input.startDate) throw errors.invalidDates('marche');
  const cite = await findCiteByCode(trx, input.citeCode);
  if (!cite) throw errors.unknown('cite', input.citeCode);
  await assertCanWriteCite(trx, actor, cite.id);
  const at = nowIso(ctx);

  let contractor = await findContractorBySiret(trx, input.contractorSiret);
  if (!contractor) {
    if (!input.contractorName)
      throw errors.unknown('contractor', input.contractorSiret, 'Indiquez son nom pour la créer.');
    await insertContractor(trx, {
      siret: input.contractorSiret,
      siren: input.contractorSiret.slice(0, 9),
      name: input.contractorName,
      created_at: at,
    });
    contractor = (await findContractorBySiret(trx, input.contractorSiret))!;
  }
  // A re-declared marché (import, edit) naming its known contractor differently renames it:
  // the file or the form is the latest word on the company's name.
  const renamed = allowUpdate && !!input.contractorName && input.contractorName !== contractor.name;
  if (renamed) {
    await renameContractor(trx, contractor.id, input.contractorName!);
    await audit(trx, {
      at,
      accountId: actor.id,
      action: 'contractor.rename',
      entity: 'contractor',
      ref: contractor.siret,
      details: { before: contractor.name, after: input.contractorName },
    });
  }
  const row: store.MarcheFields = {
    cite_id: cite.id,
    contractor_id: contractor.id,
    title: input.title,
    amount_cents: input.amountCents,
    required_centihours: input.requiredCentihours,
    start_date: input.startDate,
    end_date: input.endDate,
  };
  const existing = await store.findMarcheRow(trx, input.ref);
  if (!existing) {
    await store.insertMarche(trx, { ref: input.ref, ...row, created_at: at, updated_at: at });
    await audit(trx, { at, accountId: actor.id, action: 'marche.create', entity: 'marche', ref: input.ref });
    return 'created';
  }
  if (!allowUpdate) throw errors.duplicate('marche', input.ref);
  await assertCanWriteCite(trx, actor, existing.cite_id);
  const keys = Object.keys(row) as Array<keyof store.MarcheFields>;
  const changedKeys = keys.filter((k) => String(existing[k]) !== String(row[k]));
  if (changedKeys.length === 0) return renamed ? 'updated' : 'unchanged';
  await assertDatesKeepContracts(trx, existing, input.startDate, input.endDate);
  const changed: Partial<store.MarcheFields> = Object.fromEntries(changedKeys.map((k) => [k, row[k]]));
  const update = () => store.updateMarche(trx, existing.id, { ...changed, updated_at: at });
  // Moving a marché to another cité or contractor changes what its hours count under.
  if ('cite_id' in changed || 'contractor_id' in changed) await withRollupsRefreshed(trx, [existing.id], update);
  else await update();
  await audit(trx, {
    at,
    accountId: actor.id,
    action: 'marche.update',
    entity: 'marche',
    ref: input.ref,
    details: { before: Object.fromEntries(changedKeys.map((k) => [k, existing[k]])), after: changed },
  });
  return 'updated';
}

export async function createMarche(ctx: AppContext, actor: Actor, input: MarcheInput) {
  return ctx.db.transaction(async (trx) => {
    await saveMarche(trx, ctx, actor, input, { allowUpdate: false });
    return marcheView((await store.findMarcheByRef(trx, input.ref))!);
  });
}

/**
 * Edits a marché (title, amounts, cité, contractor, dates: an avenant). Same rules as a
 * re-import through `saveMarche`: rollups stay exact, new dates must keep its contracts and hours.
 */
export async function updateMarche(ctx: AppContext, actor: Actor, ref: string, patch: MarchePatch) {
  assertWriter(actor);
  return ctx.db.transaction(async (trx) => {
    const current = await getVisibleMarche(trx, actor, ref);
    await saveMarche(
      trx,
      ctx,
      actor,
      {
        ref,
        citeCode: patch.citeCode ?? current.cite_code,
        title: patch.title ?? current.title,
        contractorSiret: patch.contractorSiret ?? current.contractor_siret,
        contractorName: patch.contractorName ?? null,
        amountCents: patch.amountCents ?? Number(current.amount_cents),
        requiredCentihours: patch.requiredCentihours ?? Number(current.required_centihours),
        startDate: patch.startDate ?? current.start_date,
        endDate: patch.endDate ?? current.end_date,
      },
      { allowUpdate: true },
    );
    return marcheView((await store.findMarcheByRef(trx, ref))!);
  });
}

/** A marché's hours by month and by contract, for whoever may read the marché (else 404). */
export async function marcheActivity(ctx: AppContext, actor: Actor, ref: string) {
  const m = await getVisibleMarche(ctx.db, actor, ref);
  const [months, byContract] = await Promise.all([
    store.monthTotalsOfMarche(ctx.db, m.id),
    store.contractTotalsOfMarche(ctx.db, m.id),
  ]);
  return {
    citeName: String(m.cite_name),
    months: months.map((x) => ({ month: x.month, hours: toHours(x.centihours) })),
    byContract: Object.fromEntries([...byContract].map(([k, v]) => [k, toHours(v)])),
  };
}
