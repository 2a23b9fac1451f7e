import argon2 from 'argon2';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import { audit } from '../audit/audit.store.js';
import { createSession } from './sessions.js';
import { ARGON2_OPTIONS } from '../accounts/accounts.service.js';

// Password login with a lockout: after MAX_FAILURES wrong passwords in a row, the account is
// locked for LOCK_MINUTES, even for the right password. Messages never say whether the email
// exists (the same text for an unknown email and a wrong password).
export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

// Verified when the email is unknown, so that both cases take the same time.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= argon2.hash('not-a-password-of-anyone', ARGON2_OPTIONS));

export type LoginOutcome =
  | { ok: true; cookie: string; csrf: string }
  | { ok: false; reason: 'invalid' | 'locked'; lockedUntil?: string };

export async function login(ctx: AppContext, email: string, password: string): Promise<LoginOutcome> {
  const at = nowIso(ctx);
  const account = await ctx.db('accounts').whereRaw('lower(email) = ?', [email.trim().toLowerCase()]).first();
  if (!account?.password_hash || account.disabled_at) {
    await argon2.verify(await dummy(), password).catch(() => false);
    return { ok: false, reason: 'invalid' };
  }
  if (account.locked_until && account.locked_until > at)
    return { ok: false, reason: 'locked', lockedUntil: account.locked_until };
  const good = await argon2.verify(account.password_hash, password).catch(() => false);
  if (!good) {
    // Counted atomically, so that parallel guesses cannot slip past the limit.
    const lockedUntil = new Date(Date.parse(at) + LOCK_MINUTES * 60_000).toISOString();
    const locked = await ctx.db.transaction(async (trx) => {
      await trx('accounts').where({ id: account.id }).increment('failed_logins', 1);
      const n = Number((await trx('accounts').where({ id: account.id }).first('failed_logins')).failed_logins);
      const lock = n >= MAX_FAILURES;
      if (lock) await trx('accounts').where({ id: account.id }).update({ failed_logins: 0, locked_until: lockedUntil });
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
    await trx('accounts').where({ id: account.id }).update({ failed_logins: 0, locked_until: null });
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
