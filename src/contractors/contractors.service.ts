import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertWriter } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { type Page, type PageRequest, toPage } from '../core/paging.js';
import * as store from './contractors.store.js';
import { contractorView, type ContractorView } from './contractors.view.js';

export async function listContractors(
  ctx: AppContext,
  actor: Actor,
  filter: store.ContractorFilter,
  page: PageRequest,
): Promise<Page<ContractorView>> {
  return toPage(await store.listContractors(ctx.db, actor, filter, page), page, (r) => [r.siret], contractorView);
}

export async function getContractor(ctx: AppContext, actor: Actor, siret: string) {
  const r = await store.findVisibleContractor(ctx.db, actor, siret);
  if (!r) throw errors.notFound('contractor', siret);
  return contractorView(r);
}

export async function createContractor(ctx: AppContext, actor: Actor, input: { siret: string; name: string }) {
  assertWriter(actor);
  return ctx.db.transaction(async (trx) => {
    await store.insertContractor(trx, {
      siret: input.siret,
      siren: input.siret.slice(0, 9),
      name: input.name,
      created_at: nowIso(ctx),
    });
    await audit(trx, {
      at: nowIso(ctx),
      accountId: actor.id,
      action: 'contractor.create',
      entity: 'contractor',
      ref: input.siret,
    });
    return contractorView((await store.findContractorBySiret(trx, input.siret))!);
  });
}

/**
 * Renames a contractor (a company's name changes, or was mistyped at its first marché).
 * Admins, and facilitators when one of its marchés is in their scope (or it has none yet).
 */
export async function renameContractor(ctx: AppContext, actor: Actor, siret: string, name: string) {
  assertWriter(actor);
  return ctx.db.transaction(async (trx) => {
    const c = await store.findContractorBySiret(trx, siret);
    if (!c) throw errors.notFound('contractor', siret);
    if (!(await store.contractorInScope(trx, actor, c.id)))
      throw errors.forbidden('cette entreprise (aucun de ses marchés n’est dans votre périmètre)');
    if (c.name !== name) {
      const at = nowIso(ctx);
      await store.renameContractor(trx, c.id, name);
      await audit(trx, {
        at,
        accountId: actor.id,
        action: 'contractor.rename',
        entity: 'contractor',
        ref: siret,
        details: { before: c.name, after: name },
      });
    }
    return contractorView({ ...c, name });
  });
}
