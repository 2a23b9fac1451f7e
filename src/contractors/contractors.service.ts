import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertWriter, actorContractorIds } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { isUniqueViolation } from '../db/rows.js';
import * as store from './contractors.store.js';

export const contractorView = (r: Record<string, any>) => ({ siret: r.siret, siren: r.siren, name: r.name });

export async function listContractors(ctx: AppContext, actor: Actor) {
  const q = store.contractorsQuery(ctx.db);
  if (actor.role === 'contractor') q.whereIn('id', actorContractorIds(ctx.db, actor));
  return (await q).map(contractorView);
}

export async function getContractor(ctx: AppContext, actor: Actor, siret: string) {
  const r = await store.findContractorBySiret(ctx.db, siret);
  const visible =
    r && (actor.role !== 'contractor' || (await actorContractorIds(ctx.db, actor).where('id', r.id).first()));
  if (!visible) throw errors.notFound('contractor', siret);
  return contractorView(r);
}

export async function createContractor(ctx: AppContext, actor: Actor, input: { siret: string; name: string }) {
  assertWriter(actor);
  return ctx.db.transaction(async (trx) => {
    try {
      await store.insertContractor(trx, {
        siret: input.siret,
        siren: input.siret.slice(0, 9),
        name: input.name,
        created_at: nowIso(ctx),
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw errors.duplicate('contractor', input.siret);
      throw e;
    }
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
