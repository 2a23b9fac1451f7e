import argon2 from 'argon2';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { isUniqueViolation } from '../db/rows.js';
import { findStructureByCode } from '../structures/structures.store.js';
import type { Actor } from './actor.js';
import { assertAdmin } from './policy.js';
import * as store from './accounts.store.js';
import { accountView, tokenView, type NewAccount } from './accounts.schemas.js';
import { generateToken, hashToken } from './tokens.js';

// Account management (admins through the API, operators through the CLI). `actor` is null for
// the CLI: whoever runs it already holds the database, and the audit log says "cli".

const by = (actor: Actor | null) => ({ accountId: actor?.id ?? null });

/** argon2id at the OWASP baseline (19 MiB, 2 passes, 1 lane): ~20-40 ms on this machine. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const hashPassword = (password: string) => argon2.hash(password, ARGON2_OPTIONS);

async function loadAccount(ctx: AppContext, idOrEmail: string | number) {
  const a = await store.findAccount(ctx.db, idOrEmail);
  if (!a) throw errors.notFound('account', idOrEmail);
  return a;
}

export async function createAccount(ctx: AppContext, actor: Actor | null, input: NewAccount) {
  if (actor) assertAdmin(actor);
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
      ...by(actor),
      action: 'account.create',
      entity: 'account',
      ref: String(accountId),
      details: {
        role: input.role,
        structure: input.structure ?? null,
        contractor: c,
        departement: input.departement ?? null,
        ...(actor ? {} : { via: 'cli' }),
      },
    });
    return accountId;
  });
  return { account: accountView(await loadAccount(ctx, id)), token };
}

export async function listAccounts(ctx: AppContext, actor: Actor | null) {
  if (actor) assertAdmin(actor);
  return (await store.accountsQuery(ctx.db)).map(accountView);
}

export async function getAccount(ctx: AppContext, actor: Actor | null, idOrEmail: string) {
  if (actor) assertAdmin(actor);
  const a = await loadAccount(ctx, idOrEmail);
  return { ...accountView(a), tokens: (await store.listTokens(ctx.db, a.id)).map(tokenView) };
}

/** Disabling keeps the account (the audit log refers to it) but ends its tokens' and sessions' use. */
export async function disableAccount(ctx: AppContext, actor: Actor | null, idOrEmail: string) {
  if (actor) assertAdmin(actor);
  const a = await loadAccount(ctx, idOrEmail);
  if (actor && a.id === actor.id) throw errors.selfDisable();
  if (a.disabled_at) return accountView(a);
  const at = nowIso(ctx);
  await ctx.db.transaction(async (trx) => {
    await store.updateAccount(trx, a.id, { disabled_at: at });
    await trx('web_sessions').where({ account_id: a.id }).whereNull('ended_at').update({ ended_at: at });
    await audit(trx, { at, ...by(actor), action: 'account.disable', entity: 'account', ref: String(a.id) });
  });
  return accountView(await loadAccount(ctx, a.id));
}

export async function issueToken(ctx: AppContext, actor: Actor | null, idOrEmail: string, label = 'API') {
  if (actor) assertAdmin(actor);
  const a = await loadAccount(ctx, idOrEmail);
  if (a.disabled_at) throw errors.accountDisabled();
  const token = generateToken();
  const at = nowIso(ctx);
  const tokenId = await ctx.db.transaction(async (trx) => {
    const id = await store.insertToken(trx, { account_id: a.id, token_hash: hashToken(token), label, created_at: at });
    await audit(trx, {
      at,
      ...by(actor),
      action: 'token.issue',
      entity: 'account',
      ref: String(a.id),
      details: { tokenId: id, label },
    });
    return id;
  });
  return { id: tokenId, label, token, createdAt: at };
}

export async function revokeToken(ctx: AppContext, actor: Actor | null, tokenId: number) {
  if (actor) assertAdmin(actor);
  const t = await ctx.db('api_tokens').where({ id: tokenId }).first();
  if (!t) throw errors.notFound('token', tokenId);
  if (!t.revoked_at) {
    const at = nowIso(ctx);
    await ctx.db.transaction(async (trx) => {
      await trx('api_tokens').where({ id: tokenId }).update({ revoked_at: at });
      await audit(trx, {
        at,
        ...by(actor),
        action: 'token.revoke',
        entity: 'account',
        ref: String(t.account_id),
        details: { tokenId },
      });
    });
  }
  return tokenView(await ctx.db('api_tokens').where({ id: tokenId }).first());
}

/** Sets (or replaces) the web password; also lifts a lockout. */
export async function setPassword(ctx: AppContext, actor: Actor | null, idOrEmail: string, password: string) {
  if (actor) assertAdmin(actor);
  const a = await loadAccount(ctx, idOrEmail);
  if (!a.email) throw errors.noEmail();
  const hash = await hashPassword(password);
  const at = nowIso(ctx);
  await ctx.db.transaction(async (trx) => {
    await store.updateAccount(trx, a.id, { password_hash: hash, failed_logins: 0, locked_until: null });
    await audit(trx, { at, ...by(actor), action: 'account.password', entity: 'account', ref: String(a.id) });
  });
}
