import argon2 from 'argon2';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import { audit } from '../audit/audit.store.js';
import { createSession } from './sessions.js';
import { ARGON2_OPTIONS } from '../accounts/accounts.service.js';
import * as accounts from '../accounts/accounts.store.js';

// Password login with a lockout by address: after MAX_FAILURES wrong passwords in a row for
// one e-mail address, that address is refused for LOCK_MINUTES, even with the right password.
// An address without a usable account (unknown, no password, disabled) is counted and locked
// exactly like a real one, so neither the status, the message nor the timing tells whether
// an account exists (docs/accounts.md).
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

/** Shown for a locked address, known or not: says what to do, confirms nothing. */
export const LOCKED_MESSAGE =
  'Trop d’essais infructueux avec cette adresse : la connexion est suspendue 15 minutes. Réessayez ensuite, ou ' +
  'demandez à l’administrateur du programme de réinitialiser votre mot de passe.';

// Verified when the email is unknown, so that both cases take the same time.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= argon2.hash('not-a-password-of-anyone', ARGON2_OPTIONS));

export type LoginOutcome =
  | { ok: true; cookie: string; csrf: string }
  | { ok: false; reason: 'invalid' | 'locked'; lockedUntil?: string };

export async function login(ctx: AppContext, email: string, password: string): Promise<LoginOutcome> {
  const at = nowIso(ctx);
  const address = email.trim().toLowerCase();
  const lockedUntil = new Date(Date.parse(at) + LOCK_MINUTES * 60_000).toISOString();
  const account = await accounts.findAccountByEmail(ctx.db, address);
  if (!account?.password_hash || account.disabled_at) {
    const failures = await accounts.findAddressFailures(ctx.db, address);
    if (failures?.locked_until && failures.locked_until > at)
      return { ok: false, reason: 'locked', lockedUntil: failures.locked_until };
    await argon2.verify(await dummy(), password).catch(() => false);
    // Counted in a transaction like an account's failures, so that both take the same time.
    const locked = await ctx.db.transaction(async (trx) => {
      const n = await accounts.addAddressFailure(trx, address);
      if (n < MAX_FAILURES) return false;
      await accounts.lockAddress(trx, address, lockedUntil);
      return true;
    });
    return locked ? { ok: false, reason: 'locked', lockedUntil } : { ok: false, reason: 'invalid' };
  }
  if (account.locked_until && account.locked_until > at)
    return { ok: false, reason: 'locked', lockedUntil: account.locked_until };
  const good = await argon2.verify(account.password_hash, password).catch(() => false);
  if (!good) {
    const locked = await ctx.db.transaction(async (trx) => {
      const n = await accounts.addAccountFailure(trx, account.id);
      const lock = n >= MAX_FAILURES;
      if (lock) await accounts.lockAccount(trx, account.id, lockedUntil);
      await audit(trx, {
        at,
        accountId: account.id,
        action: lock ? 'login.lock' : 'login.fail',
        entity: 'account',
        ref: String(account.id),
      });
      return lock;
    });
    return locked ? { ok: false, reason: 'locked', lockedUntil } : { ok: false, reason: 'invalid' };
  }
  return ctx.db.transaction(async (trx) => {
    await accounts.clearAccountFailures(trx, account.id);
    await audit(trx, {
      at,
      accountId: account.id,
      action: 'login.success',
      entity: 'account',
      ref: String(account.id),
    });
    return { ok: true as const, ...(await createSession({ ...ctx, db: trx }, account.id)) };
  });
}
