import argon2 from 'argon2';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { isUniqueViolation } from '../db/rows.js';
import { findStructureByCode } from '../structures/structures.store.js';
import { endSessionsOf } from '../web/sessions.store.js';
import type { Actor } from './actor.js';
import { assertAdmin } from './policy.js';
import * as store from './accounts.store.js';
import { accountView, tokenView, type AccountPatch, type NewAccount } from './accounts.schemas.js';
import { SYSTEM_EMAIL } from './system.js';
import { forgetTokens } from './token-cache.js';
import { generateToken, hashToken } from './tokens.js';

// Account management, for admins: through the API, or through the CLI acting as the system
// account (src/accounts/system.ts). Every change is audited with who made it.

/** argon2id at the OWASP baseline (19 MiB, 2 passes, 1 lane): ~20-40 ms on this machine. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const hashPassword = (password: string) => argon2.hash(password, ARGON2_OPTIONS);

async function loadAccount(ctx: AppContext, idOrEmail: string | number) {
  const a = await store.findAccount(ctx.db, idOrEmail);
  if (!a) throw errors.notFound('account', idOrEmail);
  return a;
}

export async function createAccount(ctx: AppContext, actor: Actor, input: NewAccount) {
  assertAdmin(actor);
  let structureId: number | null = null;
  if (input.structure) {
    const s = await findStructureByCode(ctx.db, input.structure);
    if (!s) throw errors.unknown('structure', input.structure);
    structureId = s.id;
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const token = generateToken();
  const at = nowIso(ctx);
  const c = input.contractor ?? null;
  const id = await ctx.db.transaction(async (trx) => {
    let accountId: number;
    try {
      accountId = await store.insertAccount(trx, {
        name: input.name,
        email: input.email ?? null,
        role: input.role,
        structure_id: structureId,
        contractor_siren: c && c.length === 9 ? c : null,
        contractor_siret: c && c.length === 14 ? c : null,
        departement_code: input.departement ?? null,
        password_hash: passwordHash,
        created_at: at,
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw errors.duplicateEmail(input.email ?? '');
      throw e;
    }
    await store.insertToken(trx, {
      account_id: accountId,
      token_hash: hashToken(token),
      label: 'initial',
      created_at: at,
    });
    await audit(trx, {
      at,
      accountId: actor.id,
      action: 'account.create',
      entity: 'account',
      ref: String(accountId),
      details: {
        role: input.role,
        structure: input.structure ?? null,
        contractor: c,
        departement: input.departement ?? null,
      },
    });
    return accountId;
  });
  return { account: accountView(await loadAccount(ctx, id)), token };
}

export async function listAccounts(ctx: AppContext, actor: Actor) {
  assertAdmin(actor);
  return (await store.listAccounts(ctx.db)).map(accountView);
}

export async function getAccount(ctx: AppContext, actor: Actor, idOrEmail: string) {
  assertAdmin(actor);
  const a = await loadAccount(ctx, idOrEmail);
  return { ...accountView(a), tokens: (await store.listTokens(ctx.db, a.id)).map(tokenView) };
}

/**
 * Changes an account's name, e-mail (its login) or signatory function. The audit entry lists
 * the fields that changed with their old and new values (never a password).
 */
export async function updateAccount(ctx: AppContext, actor: Actor, idOrEmail: string, patch: AccountPatch) {
  assertAdmin(actor);
  const a = await loadAccount(ctx, idOrEmail);
  // The command line finds its system account by this address: it never changes.
  if (a.email === SYSTEM_EMAIL && patch.email !== undefined && patch.email !== SYSTEM_EMAIL)
    throw errors.invalidInput('L’adresse du compte système de la ligne de commande ne peut pas changer.');
  const changes: Record<string, { from: string | null; to: string | null }> = {};
  if (patch.name !== undefined && patch.name !== a.name) changes.name = { from: a.name, to: patch.name };
  if (patch.email !== undefined && patch.email !== (a.email ?? null))
    changes.email = { from: a.email, to: patch.email };
  if (patch.function !== undefined && patch.function !== (a.function ?? null))
    changes.function = { from: a.function, to: patch.function };
  if (Object.keys(changes).length) {
    const at = nowIso(ctx);
    await ctx.db.transaction(async (trx) => {
      const row: { name?: string; email?: string } = {};
      if (changes.name) row.name = patch.name;
      if (changes.email) row.email = patch.email;
      try {
        if (Object.keys(row).length) await store.updateAccount(trx, a.id, row);
      } catch (e) {
        if (isUniqueViolation(e)) throw errors.duplicateEmail(patch.email ?? '');
        throw e;
      }
      if (changes.function) await store.setFunction(trx, a.id, patch.function ?? null);
      await audit(trx, {
        at,
        accountId: actor.id,
        action: 'account.update',
        entity: 'account',
        ref: String(a.id),
        details: changes,
      });
    });
    forgetTokens(ctx.db);
  }
  return accountView(await loadAccount(ctx, a.id));
}

/** Disabling keeps the account (the audit log refers to it) but ends its tokens' and sessions' use. */
export async function disableAccount(ctx: AppContext, actor: Actor, idOrEmail: string) {
  assertAdmin(actor);
  const a = await loadAccount(ctx, idOrEmail);
  if (a.id === actor.id) throw errors.selfDisable();
  if (a.disabled_at) return accountView(a);
  const at = nowIso(ctx);
  await ctx.db.transaction(async (trx) => {
    await store.updateAccount(trx, a.id, { disabled_at: at });
    await endSessionsOf(trx, a.id, at);
    await audit(trx, { at, accountId: actor.id, action: 'account.disable', entity: 'account', ref: String(a.id) });
  });
  forgetTokens(ctx.db);
  return accountView(await loadAccount(ctx, a.id));
}

export async function issueToken(ctx: AppContext, actor: Actor, idOrEmail: string, label = 'API') {
  assertAdmin(actor);
  const a = await loadAccount(ctx, idOrEmail);
  if (a.disabled_at) throw errors.accountDisabled();
  const token = generateToken();
  const at = nowIso(ctx);
  const tokenId = await ctx.db.transaction(async (trx) => {
    const id = await store.insertToken(trx, { account_id: a.id, token_hash: hashToken(token), label, created_at: at });
    await audit(trx, {
      at,
      accountId: actor.id,
      action: 'token.issue',
      entity: 'account',
      ref: String(a.id),
      details: { tokenId: id, label },
    });
    return id;
  });
  return { id: tokenId, label, token, createdAt: at };
}

export async function revokeToken(ctx: AppContext, actor: Actor, tokenId: number) {
  assertAdmin(actor);
  const t = await store.findTokenById(ctx.db, tokenId);
  if (!t) throw errors.notFound('token', tokenId);
  if (!t.revoked_at) {
    const at = nowIso(ctx);
    await ctx.db.transaction(async (trx) => {
      await store.revokeTokenRow(trx, tokenId, at);
      await audit(trx, {
        at,
        accountId: actor.id,
        action: 'token.revoke',
        entity: 'account',
        ref: String(t.account_id),
        details: { tokenId },
      });
    });
    forgetTokens(ctx.db);
  }
  return tokenView((await store.findTokenById(ctx.db, tokenId))!);
}

/** Sets (or replaces) the web password; also lifts a lockout. */
export async function setPassword(ctx: AppContext, actor: Actor, idOrEmail: string, password: string) {
  assertAdmin(actor);
  const a = await loadAccount(ctx, idOrEmail);
  if (!a.email) throw errors.noEmail();
  const hash = await hashPassword(password);
  const at = nowIso(ctx);
  await ctx.db.transaction(async (trx) => {
    await store.updateAccount(trx, a.id, { password_hash: hash, failed_logins: 0, locked_until: null });
    await audit(trx, { at, accountId: actor.id, action: 'account.password', entity: 'account', ref: String(a.id) });
  });
}
