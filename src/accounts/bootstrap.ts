import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import { findTokenByHash, insertAccount, insertToken } from './accounts.store.js';
import { hashToken } from './tokens.js';
import { audit } from '../audit/audit.store.js';

/** ADMIN_TOKEN, when set, makes an admin account whose API token is that value (hashed). */
export async function bootstrapAdmin(ctx: AppContext, token: string | undefined): Promise<void> {
  if (!token) return;
  const hash = hashToken(token);
  await ctx.db.transaction(async (trx) => {
    if (await findTokenByHash(trx, hash)) return;
    const at = nowIso(ctx);
    const accountId = await insertAccount(trx, { name: 'Administrateur (ADMIN_TOKEN)', role: 'admin', created_at: at });
    await insertToken(trx, { account_id: accountId, token_hash: hash, label: 'ADMIN_TOKEN', created_at: at });
    await audit(trx, {
      at,
      accountId: null,
      action: 'account.create',
      entity: 'account',
      ref: String(accountId),
      details: { role: 'admin', via: 'ADMIN_TOKEN' },
    });
  });
}
