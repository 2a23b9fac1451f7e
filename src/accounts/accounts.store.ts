import type { Knex } from 'knex';
import { insertReturningId } from '../db/rows.js';
import { queryRow } from '../db/sql.js';

export type AccountRow = Record<string, any>;

export async function findActiveByTokenHash(
  db: Knex,
  tokenHash: string,
): Promise<(AccountRow & { token_id: number; token_last_used_at: string | null }) | undefined> {
  // Every API request runs this: one statement, prepared once on SQLite.
  return queryRow(
    db,
    `select a.*, t.id as token_id, t.last_used_at as token_last_used_at from api_tokens t
      join accounts a on a.id = t.account_id
      where t.token_hash = ? and t.revoked_at is null and a.disabled_at is null`,
    [tokenHash],
  );
}

/** The last use is kept to the minute: one write per token and minute, not one per request. */
export const shouldTouch = (lastUsedAt: string | null, now: string): boolean =>
  !lastUsedAt || Date.parse(now) - Date.parse(lastUsedAt) >= 60_000 || now < lastUsedAt;

export async function touchToken(db: Knex, tokenId: number, at: string): Promise<void> {
  await db('api_tokens').where({ id: tokenId }).update({ last_used_at: at });
}

export const insertAccount = (db: Knex, row: AccountRow): Promise<number> => insertReturningId(db, 'accounts', row);

export const insertToken = (
  db: Knex,
  row: { account_id: number; token_hash: string; label: string; created_at: string },
) => insertReturningId(db, 'api_tokens', row);

export async function findTokenByHash(db: Knex, tokenHash: string) {
  return db('api_tokens').where({ token_hash: tokenHash }).first();
}

/** Accounts with their binding's codes, in a stable order (id). */
export function accountsQuery(db: Knex) {
  return (
    db('accounts as a')
      .leftJoin('structures as s', 's.id', 'a.structure_id')
      .select('a.*', 's.code as structure_code')
      // The last login is the start of the latest web session.
      .select(db('web_sessions as w').max('w.created_at').where('w.account_id', db.ref('a.id')).as('last_login_at'))
      .orderBy('a.id')
  );
}

/** One account by numeric id or by email (case-insensitive). */
export function findAccount(db: Knex, idOrEmail: string | number) {
  const q = accountsQuery(db);
  if (typeof idOrEmail === 'number' || /^\d+$/.test(idOrEmail)) return q.where('a.id', Number(idOrEmail)).first();
  return q.whereRaw('lower(a.email) = ?', [String(idOrEmail).toLowerCase()]).first();
}

export const listTokens = (db: Knex, accountId: number) =>
  db('api_tokens')
    .where({ account_id: accountId })
    .select('id', 'label', 'created_at', 'last_used_at', 'revoked_at')
    .orderBy('id');

export const updateAccount = (db: Knex, id: number, patch: AccountRow) => db('accounts').where({ id }).update(patch);
