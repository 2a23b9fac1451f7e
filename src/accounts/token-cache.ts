import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';
import { type Subscription, subscribe } from '../db/notifications.js';
import { findActiveByTokenHash } from './accounts.store.js';

// The account of each API token used lately, kept in memory on PostgreSQL: reading it costs a
// round trip to the server on every request, as much as the work of an hour entry. It is
// exact, not merely fresh: the database notifies every change to accounts and tokens, from
// any process (db/migrations/016_auth_changes.ts), and the cache forgets everything then. It
// is used only while this process listens (src/db/notifications.ts), and an entry lives
// TTL_MS at most, for what no trigger sees (a whole table restored under a running server).
// Only valid tokens are kept: an unknown one is read each time. SQLite reads in process, with
// no round trip: there, no cache.

export type TokenAccount = NonNullable<Awaited<ReturnType<typeof findActiveByTokenHash>>>;

const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

interface Cache {
  entries: Map<string, { row: TokenAccount; until: number }>;
  feed: Subscription;
  /** Changes when this process forgets by itself (`forgetTokens`). */
  epoch: number;
}
const caches = new WeakMap<object, Cache>();

function cacheOf(db: Knex): Cache | null {
  if (!isPostgres(db)) return null;
  let c = caches.get(db.client);
  if (!c) {
    const entries = new Map<string, { row: TokenAccount; until: number }>();
    c = { entries, feed: subscribe(db, 'auth_changed', () => entries.clear()), epoch: 0 };
    caches.set(db.client, c);
  }
  return c;
}

/** The active token of this hash and its account (not disabled), or undefined. */
export async function activeToken(db: Knex, tokenHash: string): Promise<TokenAccount | undefined> {
  const cache = cacheOf(db);
  if (!cache?.feed.live()) return findActiveByTokenHash(db, tokenHash);
  const now = Date.now();
  const hit = cache.entries.get(tokenHash);
  if (hit && hit.until > now) return hit.row;
  const generation = cache.feed.generation();
  const epoch = cache.epoch;
  const row = await findActiveByTokenHash(db, tokenHash);
  // Not kept when a change was heard (or the connection lost, or this process forgot) while it was read.
  if (row && cache.feed.live() && cache.feed.generation() === generation && cache.epoch === epoch) {
    if (cache.entries.size >= MAX_ENTRIES) cache.entries.clear();
    cache.entries.set(tokenHash, { row, until: now + TTL_MS });
  }
  return row;
}

/**
 * Forgets every token, once this process has committed a change to accounts or tokens: the
 * database's notification of it arrives a moment after the commit, and the next request (a
 * revoked token used again at once) must not be answered from memory meanwhile.
 */
export function forgetTokens(db: Knex): void {
  const cache = caches.get(db.client);
  if (!cache) return;
  cache.epoch++;
  cache.entries.clear();
}

/** Notes a token's last use in its cached copy (written to the database once a minute). */
export function noteTokenUse(db: Knex, tokenHash: string, at: string): void {
  const hit = caches.get(db.client)?.entries.get(tokenHash);
  if (hit) hit.row = { ...hit.row, token_last_used_at: at };
}
