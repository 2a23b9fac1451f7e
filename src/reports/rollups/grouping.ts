import type { Knex } from 'knex';
import { withRollupsRefreshed } from './maintain.js';
import * as store from './rollups.store.js';

// Changes of the facts the rollups group by (a marché's cité or contractor, a cité's EPCI or
// bailleur, a structure's EPCIs) go through these functions: each runs its change between
// taking out and putting back the contributions of the participants it touches, so the
// rollups stay exact without a rebuild.

/** Any change of grouped-by facts on some marchés, cités or EPCIs, run in the caller's transaction. */
export async function changeGroupedFacts<T>(
  trx: Knex,
  affected: { marcheIds?: number[]; citeIds?: number[]; epciIds?: number[] },
  change: () => Promise<T>,
): Promise<T> {
  const marcheIds = [...new Set([...(affected.marcheIds ?? []), ...(await store.marchesOf(trx, affected))])].sort(
    (a, b) => a - b,
  );
  if (!marcheIds.length) return change();
  return withRollupsRefreshed(trx, marcheIds, change);
}

/** Moves a cité to another EPCI or bailleur. */
export async function updateCiteGrouping(
  trx: Knex,
  citeId: number,
  patch: { epci_id?: number; bailleur_id?: number | null },
): Promise<void> {
  await changeGroupedFacts(trx, { citeIds: [citeId] }, () => store.updateCite(trx, citeId, patch));
}

/** Adds links between structures and EPCIs (reference data); existing links are left alone. */
export async function linkStructureEpcis(
  trx: Knex,
  links: Array<{ structure_id: number; epci_id: number }>,
): Promise<void> {
  const missing = await store.missingStructureLinks(trx, links);
  if (!missing.length) return;
  const epciIds = [...new Set(missing.map((l) => l.epci_id))];
  await changeGroupedFacts(trx, { epciIds }, () => store.insertStructureLinks(trx, missing));
}
