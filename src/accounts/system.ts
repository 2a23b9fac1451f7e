import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import { errors } from '../core/errors.js';
import { actorFromRow, type Actor } from './actor.js';
import { findAccountByEmail, findEnabledAccountById, insertAccount } from './accounts.store.js';

// Who the command line acts as. Whoever runs it holds the database, so by default it acts as
// the system account « Ligne de commande (système) » (role admin, no token, no password,
// created on first use); `--as ID` acts as that account, with its scope. Every CLI write is
// audited with this actor (docs/accounts.md).

export const SYSTEM_EMAIL = 'systeme@ligne-de-commande.local';
export const SYSTEM_NAME = 'Ligne de commande (système)';

export async function systemActor(ctx: AppContext): Promise<Actor> {
  let row = await findAccountByEmail(ctx.db, SYSTEM_EMAIL);
  if (!row) {
    await insertAccount(ctx.db, { name: SYSTEM_NAME, email: SYSTEM_EMAIL, role: 'admin', created_at: nowIso(ctx) });
    row = await findAccountByEmail(ctx.db, SYSTEM_EMAIL);
  }
  return actorFromRow(row!);
}

/** The actor of a command: `--as ID` (an enabled account), else the system account. */
export async function cliActor(ctx: AppContext, as: string | undefined): Promise<Actor> {
  if (as === undefined) return systemActor(ctx);
  if (!/^\d+$/.test(as)) throw errors.invalidInput(`--as attend le numéro d’un compte (reçu : « ${as} »).`);
  const row = await findEnabledAccountById(ctx.db, Number(as));
  if (!row) throw errors.invalidInput(`Compte n° ${as} introuvable ou désactivé.`);
  return actorFromRow(row);
}
