import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertAdmin } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { isUniqueViolation } from '../db/rows.js';
import * as store from './cites.store.js';

export const citeView = (r: Record<string, any>) => ({
  code: r.code,
  name: r.name,
  commune: r.commune,
  epci: r.epci_code,
  departement: r.departement_code,
  bailleur: r.bailleur_code ?? null,
});

export async function listCites(ctx: AppContext) {
  return (await store.citesQuery(ctx.db)).map(citeView);
}

export async function getCite(ctx: AppContext, code: string) {
  const r = await store.findCiteByCode(ctx.db, code);
  if (!r) throw errors.notFound('cite', code);
  return citeView(r);
}

export interface NewCite {
  code: string;
  name: string;
  commune: string;
  epci: string;
  bailleur?: string | null;
  programme: string;
}

/** Admins add the cités the public sources do not name. */
export async function createCite(ctx: AppContext, actor: Actor, input: NewCite) {
  assertAdmin(actor);
  return ctx.db.transaction(async (trx) => {
    const epci = await store.findEpciByCode(trx, input.epci);
    if (!epci) throw errors.unknown('epci', input.epci);
    const programme = await store.findProgrammeByCode(trx, input.programme);
    if (!programme) throw errors.unknown('programme', input.programme);
    let bailleurId: number | null = null;
    if (input.bailleur) {
      const b = await store.findBailleurByCode(trx, input.bailleur);
      if (!b) throw errors.unknown('bailleur', input.bailleur);
      bailleurId = b.id;
    }
    try {
      await store.insertCite(trx, {
        code: input.code,
        name: input.name,
        commune: input.commune,
        epci_id: epci.id,
        bailleur_id: bailleurId,
        programme_id: programme.id,
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw errors.duplicate('cite', input.code);
      throw e;
    }
    await audit(trx, { at: nowIso(ctx), accountId: actor.id, action: 'cite.create', entity: 'cite', ref: input.code });
    return citeView((await store.findCiteByCode(trx, input.code))!);
  });
}
