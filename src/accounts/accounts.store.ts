import type { Knex } from 'knex';
import { insertReturningId } from '../db/rows.js';
import type { Role } from './actor.js';
import { queryRow } from '../db/sql.js';

// SQL of accounts, API tokens, signatory profiles and per-address login failures.

/** A row of `accounts`, as both engines return it. */
export interface AccountRow {
  id: number;
  name: string;
  email: string | null;
  role: Role;
  structure_id: number | null;
  contractor_siren: string | null;
  contractor_siret: string | null;
  departement_code: string | null;
  password_hash: string | null;
  failed_logins: number;
  locked_until: string | null;
  disabled_at: string | null;
  created_at: string;
}

/** An account with its binding's code, last login and signatory function. */
export interface AccountListRow extends AccountRow {
  structure_code: string | null;
  last_login_at: string | null;
  function: string | null;
}

export interface TokenRow {
  id: number;
  account_id: number;
  token_hash: string;
  label: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export type NewAccountRow = Pick<AccountRow, 'name' | 'role' | 'created_at'> &
  Partial<
    Pick<
      AccountRow,
      'email' | 'structure_id' | 'contractor_siren' | 'contractor_siret' | 'departement_code' | 'password_hash'
    >
  >;

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

export const insertAccount = (db: Knex, row: NewAccountRow): Promise<number> => insertReturningId(db, 'accounts', row);

export const insertToken = (
  db: Knex,
  row: { account_id: number; token_hash: string; label: string; created_at: string },
) => insertReturningId(db, 'api_tokens', row);

export async function findTokenByHash(db: Knex, tokenHash: string): Promise<TokenRow | undefined> {
  return db('api_tokens').where({ token_hash: tokenHash }).first();
}

export async function findTokenById(db: Knex, id: number): Promise<TokenRow | undefined> {
  return db('api_tokens').where({ id }).first();
}

export async function revokeTokenRow(db: Knex, id: number, at: string): Promise<void> {
  await db('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: at });
}

/** Accounts with their binding's codes, in a stable order (id). */
function accountsQuery(db: Knex) {
  return (
    db('accounts as a')
      .leftJoin('structures as s', 's.id', 'a.structure_id')
      .leftJoin('account_profiles as ap', 'ap.account_id', 'a.id')
      .select('a.*', 's.code as structure_code', 'ap.function')
      // The last login is the start of the latest web session.
      .select(db('web_sessions as w').max('w.created_at').where('w.account_id', db.ref('a.id')).as('last_login_at'))
      .orderBy('a.id')
  );
}

export async function listAccounts(db: Knex): Promise<AccountListRow[]> {
  return accountsQuery(db);
}

/** One account by numeric id or by email (case-insensitive). */
export async function findAccount(db: Knex, idOrEmail: string | number): Promise<AccountListRow | undefined> {
  const q = accountsQuery(db);
  if (typeof idOrEmail === 'number' || /^\d+$/.test(idOrEmail)) return q.where('a.id', Number(idOrEmail)).first();
  return q.whereRaw('lower(a.email) = ?', [String(idOrEmail).toLowerCase()]).first();
}

/** An account by e-mail, whatever its state (login). */
export async function findAccountByEmail(db: Knex, email: string): Promise<AccountRow | undefined> {
  return db('accounts').whereRaw('lower(email) = ?', [email.trim().toLowerCase()]).first();
}

export async function findEnabledAccountById(db: Knex, id: number): Promise<AccountRow | undefined> {
  return db('accounts').where({ id }).whereNull('disabled_at').first();
}

export const listTokens = (
  db: Knex,
  accountId: number,
): Promise<Array<Pick<TokenRow, 'id' | 'label' | 'created_at' | 'last_used_at' | 'revoked_at'>>> =>
  db('api_tokens')
    .where({ account_id: accountId })
    .select('id', 'label', 'created_at', 'last_used_at', 'revoked_at')
    .orderBy('id');

export async function updateAccount(
  db: Knex,
  id: number,
  patch: Partial<Omit<AccountRow, 'id' | 'created_at'>>,
): Promise<void> {
  await db('accounts').where({ id }).update(patch);
}

/** Sets the signatory function printed on attestations (null removes it). */
export async function setFunction(db: Knex, accountId: number, fn: string | null): Promise<void> {
  await db('account_profiles')
    .insert({ account_id: accountId, function: fn })
    .onConflict('account_id')
    .merge(['function']);
}

export async function functionOf(db: Knex, accountId: number): Promise<string | null> {
  const r: { function: string | null } | undefined = await db('account_profiles')
    .where({ account_id: accountId })
    .first('function');
  return r?.function ?? null;
}

// Login failures. Counted atomically, so that parallel guesses cannot slip past the limit.

/** Adds one failure to an account; returns the count after it. */
export async function addAccountFailure(db: Knex, id: number): Promise<number> {
  await db('accounts').where({ id }).increment('failed_logins', 1);
  const r: { failed_logins: number } = await db('accounts').where({ id }).first('failed_logins');
  return Number(r.failed_logins);
}

export async function lockAccount(db: Knex, id: number, until: string): Promise<void> {
  await db('accounts').where({ id }).update({ failed_logins: 0, locked_until: until });
}

export async function clearAccountFailures(db: Knex, id: number): Promise<void> {
  await db('accounts').where({ id }).update({ failed_logins: 0, locked_until: null });
}

export interface AddressFailureRow {
  email: string;
  failed_logins: number;
  locked_until: string | null;
}

export async function findAddressFailures(db: Knex, email: string): Promise<AddressFailureRow | undefined> {
  return db('login_failures').where({ email }).first();
}

/** Adds one failure to an address without an account; returns the count after it. */
export async function addAddressFailure(db: Knex, email: string): Promise<number> {
  await db('login_failures')
    .insert({ email, failed_logins: 1, locked_until: null })
    .onConflict('email')
    .merge({ failed_logins: db.raw('login_failures.failed_logins + 1') });
  const r = await findAddressFailures(db, email);
  return Number(r?.failed_logins ?? 0);
}

export async function lockAddress(db: Knex, email: string, until: string): Promise<void> {
  await db('login_failures').where({ email }).update({ failed_logins: 0, locked_until: until });
}

export async function clearAddressFailures(db: Knex, email: string): Promise<void> {
  await db('login_failures').where({ email }).delete();
}
