import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertAdmin } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { type Page, type PageRequest, toPage } from '../core/paging.js';
import * as store from './cites.store.js';
import { citeView, type CiteView } from './cites.view.js';

export async function listCites(ctx: AppContext, filter: store.CiteFilter, page: PageRequest): Promise<Page<CiteView>> {
  return toPage(await store.listCites(ctx.db, filter, page), page, (r) => [r.code], citeView);
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
    await store.insertCite(trx, {
      code: input.code,
      name: input.name,
      commune: input.commune,
      epci_id: epci.id,
      bailleur_id: bailleurId,
      programme_id: programme.id,
    });
    await audit(trx, { at: nowIso(ctx), accountId: actor.id, action: 'cite.create', entity: 'cite', ref: input.code });
    return citeView((await store.findCiteByCode(trx, input.code))!);
  });
}
