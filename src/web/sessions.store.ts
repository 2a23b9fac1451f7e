import type { Knex } from 'knex';
import type { AccountRow } from '../accounts/accounts.store.js';
import { insertReturningId } from '../db/rows.js';

// SQL of browser sessions (table web_sessions, db/migrations/006_accounts_web.ts).

export type NewSessionRow = {
  token_hash: string;
  account_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
};

export type LiveSessionRow = AccountRow & { session_id: number; csrf_token: string; session_created_at: string };

export const insertSession = (db: Knex, row: NewSessionRow): Promise<number> =>
  insertReturningId(db, 'web_sessions', row);

/** The session of a cookie hash, with its account, when neither has ended nor expired. */
export async function findLiveSession(db: Knex, tokenHash: string, now: string): Promise<LiveSessionRow | undefined> {
  return db('web_sessions as s')
    .join('accounts as a', 'a.id', 's.account_id')
    .where('s.token_hash', tokenHash)
    .whereNull('s.ended_at')
    .whereNull('a.disabled_at')
    .where('s.expires_at', '>', now)
    .first('a.*', 's.id as session_id', 's.csrf_token', 's.created_at as session_created_at');
}

export async function setSessionExpiry(db: Knex, id: number, expiresAt: string): Promise<void> {
  await db('web_sessions').where({ id }).update({ expires_at: expiresAt });
}

export async function endSessionRow(db: Knex, id: number, at: string): Promise<void> {
  await db('web_sessions').where({ id }).whereNull('ended_at').update({ ended_at: at });
}

/** Ends every open session of an account (disabling it). */
export async function endSessionsOf(db: Knex, accountId: number, at: string): Promise<void> {
  await db('web_sessions').where({ account_id: accountId }).whereNull('ended_at').update({ ended_at: at });
}
