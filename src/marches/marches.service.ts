import type { Knex } from 'knex';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertCanWriteCite, scopeMarches } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { toHours } from '../lib/hours.js';
import { findCiteByCode } from '../cites/cites.store.js';
import { findContractorBySiret, insertContractor } from '../contractors/contractors.store.js';
import * as store from './marches.store.js';
import { withRollupsRefreshed } from '../reports/rollups.maintain.js';

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

export const marcheView = (r: Record<string, any>) => ({
  ref: r.ref,
  cite: r.cite_code,
  title: r.title,
  contractor: { siret: r.contractor_siret, name: r.contractor_name },
  amountEur: Number(r.amount_cents) / 100,
  requiredHours: toHours(Number(r.required_centihours)),
  startDate: r.start_date,
  endDate: r.end_date,
});

export async function listMarches(ctx: AppContext, actor: Actor, filter: { cite?: string } = {}) {
  const q = scopeMarches(ctx.db, store.marchesQuery(ctx.db), actor);
  if (filter.cite) q.where('ci.code', filter.cite);
  return (await q).map(marcheView);
}

/** A marché the actor may read, or 404 (never telling whether it exists elsewhere). */
export async function getVisibleMarche(db: Knex, actor: Actor, ref: string) {
  const r = await scopeMarches(db, store.marchesQuery(db), actor).where('m.ref', ref).first();
  if (!r) throw errors.notFound('marche', ref);
  return r;
}

export async function getMarche(ctx: AppContext, actor: Actor, ref: string) {
  return marcheView(await getVisibleMarche(ctx.db, actor, ref));
}

export type SaveOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Creates a marché, or updates it when `allowUpdate` (imports re-declare marchés).
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
    contractor = await findContractorBySiret(trx, input.contractorSiret);
  }
  const row = {
    cite_id: cite.id,
    contractor_id: contractor.id,
    title: input.title,
    amount_cents: input.amountCents,
    required_centihours: input.requiredCentihours,
    start_date: input.startDate,
    end_date: input.endDate,
  };
  const existing = await trx('marches').where({ ref: input.ref }).first();
  if (!existing) {
    await store.insertMarche(trx, { ref: input.ref, ...row, created_at: at, updated_at: at });
    await audit(trx, { at, accountId: actor.id, action: 'marche.create', entity: 'marche', ref: input.ref });
    return 'created';
  }
  if (!allowUpdate) throw errors.duplicate('marche', input.ref);
  await assertCanWriteCite(trx, actor, existing.cite_id);
  const changed = Object.fromEntries(Object.entries(row).filter(([k, v]) => String(existing[k]) !== String(v)));
  if (Object.keys(changed).length === 0) return 'unchanged';
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
    details: { before: Object.fromEntries(Object.keys(changed).map((k) => [k, existing[k]])), after: changed },
  });
  return 'updated';
}

export async function createMarche(ctx: AppContext, actor: Actor, input: MarcheInput) {
  return ctx.db.transaction(async (trx) => {
    await saveMarche(trx, ctx, actor, input, { allowUpdate: false });
    return marcheView(await store.findMarcheByRef(trx, input.ref));
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
