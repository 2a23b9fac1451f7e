import type { Knex } from 'knex';
import { isPostgres } from './knex.js';

// Hot statements of the write paths (one hour entry, an import's chunks), written once with
// `?` placeholders and run on either engine. Through knex every statement is compiled and,
// on SQLite, prepared again each time (a large share of a request's CPU); here, inside a
// SQLite transaction, each statement is prepared once per connection and reused, as a bare
// better-sqlite3 program would. On PostgreSQL the same SQL goes through knex.raw.
// Values must be numbers, strings or null (better-sqlite3 binds no booleans).

export type SqlValue = number | string | null;

interface SqliteStatement {
  run(params: SqlValue[]): unknown;
  all(params: SqlValue[]): unknown[];
  get(params: SqlValue[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

const prepared = new WeakMap<object, Map<string, SqliteStatement>>();
const MAX_CACHED = 200;

/** The better-sqlite3 connection a knex transaction runs on, or null (PostgreSQL, no transaction). */
export async function sqliteConnection(db: Knex): Promise<SqliteConnection | null> {
  if (isPostgres(db) || !(db as Knex.Transaction).isTransaction) return null;
  // A transaction's client always hands out the transaction's own connection.
  return (await (db.client as { acquireConnection(): Promise<SqliteConnection> }).acquireConnection()) ?? null;
}

/** The statement for `sql`, prepared once per connection (a bounded cache). */
export function statement(conn: SqliteConnection, sql: string): SqliteStatement {
  let cache = prepared.get(conn);
  if (!cache) prepared.set(conn, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) {
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(sql, (s = conn.prepare(sql)));
  }
  return s;
}

const pgRows = <T>(r: unknown): T[] => (r as { rows: T[] }).rows;

/** Runs a statement that returns rows (SELECT, or INSERT ... RETURNING). */
export async function queryRows<T>(db: Knex, sql: string, params: SqlValue[]): Promise<T[]> {
  const conn = await sqliteConnection(db);
  if (conn) return statement(conn, sql).all(params) as T[];
  const r = await db.raw(sql, params);
  return isPostgres(db) ? pgRows<T>(r) : (r as T[]);
}

/** The first row of a query, or undefined. */
export async function queryRow<T>(db: Knex, sql: string, params: SqlValue[]): Promise<T | undefined> {
  const conn = await sqliteConnection(db);
  if (conn) return statement(conn, sql).get(params) as T | undefined;
  return (await queryRows<T>(db, sql, params))[0];
}

/** Runs a statement whose rows are not needed. */
export async function execute(db: Knex, sql: string, params: SqlValue[]): Promise<void> {
  const conn = await sqliteConnection(db);
  if (conn) statement(conn, sql).run(params);
  else await db.raw(sql, params);
}
