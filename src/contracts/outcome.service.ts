import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertCanWriteCite, assertWriter } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { getVisibleContract } from './contracts.service.js';
import { findContractByRef, setExitOutcome as storeExitOutcome } from './contracts.store.js';
import { contractView } from './contracts.view.js';
import type { ExitOutcome } from './outcome.js';

/**
 * Records (or clears, with null) the exit outcome of a contract: the only field of a
 * contract that changes after its creation, audited with its previous value.
 */
export async function setExitOutcome(ctx: AppContext, actor: Actor, ref: string, outcome: ExitOutcome | null) {
  assertWriter(actor);
  return ctx.db.transaction(async (trx) => {
    const contract = await getVisibleContract(trx, actor, ref);
    await assertCanWriteCite(trx, actor, contract.cite_id);
    const before = contract.exit_outcome ?? null;
    if (before !== outcome) {
      const at = nowIso(ctx);
      await storeExitOutcome(trx, contract.id, outcome);
      await audit(trx, {
        at,
        accountId: actor.id,
        action: 'contract.outcome',
        entity: 'contract',
        ref,
        details: { before, after: outcome },
      });
    }
    return contractView((await findContractByRef(trx, ref))!, actor);
  });
}
