import crypto from 'node:crypto';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import { actorFromRow, type Actor } from '../accounts/actor.js';
import { hashToken } from '../accounts/tokens.js';
import * as store from './sessions.store.js';

// Browser sessions: a random cookie value, stored only as its SHA-256 hash (like API tokens),
// with a CSRF token of its own. A session ends after IDLE minutes without use, and in any
// case ABSOLUTE hours after login; logout and account disabling end it at once.
export const SESSION_COOKIE = 'ihl_session';
export const IDLE_MINUTES = 30;
export const ABSOLUTE_HOURS = 8;

const plusMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
export const randomToken = () => crypto.randomBytes(32).toString('base64url');

export interface Session {
  id: number;
  actor: Actor;
  csrf: string;
}

export async function createSession(ctx: AppContext, accountId: number): Promise<{ cookie: string; csrf: string }> {
  const cookie = randomToken();
  const csrf = randomToken();
  const at = nowIso(ctx);
  await store.insertSession(ctx.db, {
    token_hash: hashToken(cookie),
    account_id: accountId,
    csrf_token: csrf,
    created_at: at,
    expires_at: plusMinutes(at, IDLE_MINUTES),
  });
  return { cookie, csrf };
}

/** The live session behind a cookie value, sliding its idle expiry; undefined when none. */
export async function findSession(ctx: AppContext, cookie: string | undefined): Promise<Session | undefined> {
  if (!cookie) return undefined;
  const now = nowIso(ctx);
  const row = await store.findLiveSession(ctx.db, hashToken(cookie), now);
  if (!row) return undefined;
  const hardEnd = plusMinutes(row.session_created_at, ABSOLUTE_HOURS * 60);
  if (hardEnd <= now) return undefined;
  const next = plusMinutes(now, IDLE_MINUTES);
  // ISO strings sort as the instants they stand for: the earlier of the two.
  await store.setSessionExpiry(ctx.db, row.session_id, [next, hardEnd].sort()[0]!);
  return { id: Number(row.session_id), actor: actorFromRow(row), csrf: row.csrf_token };
}

export async function endSession(ctx: AppContext, id: number): Promise<void> {
  await store.endSessionRow(ctx.db, id, nowIso(ctx));
}

/** Constant-time comparison of two CSRF tokens. */
export function sameToken(a: unknown, b: unknown): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || !a || a.length !== b.length) return false;
  return crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
