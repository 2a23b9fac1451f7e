import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { isPostgres } from './knex.js';
import { readConnection } from './read-connection.js';

// Hot statements of the write paths (one hour entry, an import's chunks), written once with
// `?` placeholders and run on either engine. Through knex every statement is compiled and,
// on SQLite, prepared again each time (a large share of a request's CPU); here, inside a
// SQLite transaction, each statement is prepared once per connection and reused, as a bare
// better-sqlite3 program would. On PostgreSQL the same SQL goes through knex.raw.
// Values must be numbers, strings or null (better-sqlite3 binds no booleans).

export type SqlValue = number | string | null;

export interface SqliteStatement {
  readonly readonly: boolean;
  run(params: SqlValue[]): unknown;
  all(params: SqlValue[]): unknown[];
  get(params: SqlValue[]): unknown;
}
export interface SqliteConnection {
  readonly inTransaction: boolean;
  prepare(sql: string): SqliteStatement;
}
export interface PoolClient {
  acquireConnection(): Promise<SqliteConnection>;
  releaseConnection(conn: SqliteConnection): Promise<unknown>;
}

// Transactions opened by `writeTransaction` (./group-commit.ts) on SQLite: the handle given
// to the work, and the connection it holds.
const direct = new WeakMap<object, SqliteConnection>();

/** A handle for the functions of this file that runs on `conn` (a transaction's). */
export function bindHandle(db: Knex, conn: SqliteConnection): Knex {
  const handle = { client: db.client, isTransaction: true, bound: true } as unknown as Knex;
  direct.set(handle, conn);
  return handle;
}

/** Ends a handle of `bindHandle`: a use after its transaction fails instead of writing outside it. */
export function unbindHandle(handle: Knex): void {
  direct.delete(handle);
}

const prepared = new WeakMap<object, Map<string, SqliteStatement>>();
const MAX_CACHED = 600; // small statements of every size up to 64 rows, and a few big ones (./bulk.ts)

/** The better-sqlite3 connection a knex transaction runs on, or null (PostgreSQL, no transaction). */
export async function sqliteConnection(db: Knex): Promise<SqliteConnection | null> {
  const held = direct.get(db);
  if (held) return held;
  if ((db as { bound?: boolean }).bound) throw new Error('Transaction terminée : son accès à la base est fermé.');
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

interface PgConnection {
  query(q: { name: string; text: string; values: SqlValue[] }): Promise<{ rows: unknown[] }>;
}
const pgTexts = new Map<string, { name: string; text: string }>();

/** `?` placeholders to `$n`, and a name: node-postgres then prepares it once per connection. */
function pgStatement(sql: string): { name: string; text: string } {
  let s = pgTexts.get(sql);
  if (!s) {
    let n = 0;
    if (pgTexts.size >= 500) pgTexts.clear();
    // The name is the text's hash: a connection never sees one name for two texts.
    const name = `q_${crypto.createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    s = { name, text: sql.replace(/\?/g, () => `$${++n}`) };
    pgTexts.set(sql, s);
  }
  return s;
}

/**
 * On PostgreSQL: the statement, named (prepared once per connection), on the transaction's
 * connection, or on one taken from the pool for it.
 */
async function pgQuery<T>(db: Knex, sql: string, params: SqlValue[]): Promise<T[]> {
  const client = db.client as {
    acquireConnection(): Promise<PgConnection>;
    releaseConnection(c: PgConnection): unknown;
  };
  const conn = await client.acquireConnection();
  try {
    const st = pgStatement(sql);
    // Big bulk statements (imports) are run unnamed: they vary in size and run rarely.
    const q = params.length > 1000 ? { text: st.text, values: params } : { ...st, values: params };
    return (await conn.query(q as { name: string; text: string; values: SqlValue[] })).rows as T[];
  } finally {
    // A transaction's client hands out its own connection and keeps it.
    if (!(db as Knex.Transaction).isTransaction) await client.releaseConnection(conn);
  }
}

/**
 * On SQLite outside a transaction: a read-only statement runs on the database's read
 * connection (./read-connection.ts: it never waits behind a write transaction), anything
 * else on the pool's connection.
 */
async function onPooledSqlite<T>(db: Knex, sql: string, run: (s: SqliteStatement) => T): Promise<T> {
  const reader = readConnection(db);
  if (reader) {
    const s = statement(reader, sql);
    if (s.readonly) return run(s);
  }
  const client = db.client as PoolClient;
  const conn = await client.acquireConnection();
  try {
    return run(statement(conn, sql));
  } finally {
    await client.releaseConnection(conn);
  }
}

const isSqlite = (db: Knex) => db.client.config.client === 'better-sqlite3';

/** Runs a statement that returns rows (SELECT, or INSERT ... RETURNING). */
export async function queryRows<T>(db: Knex, sql: string, params: SqlValue[]): Promise<T[]> {
  const conn = await sqliteConnection(db);
  if (conn) return statement(conn, sql).all(params) as T[];
  if (isSqlite(db) && !(db as Knex.Transaction).isTransaction)
    return onPooledSqlite(db, sql, (s) => s.all(params) as T[]);
  if (isPostgres(db)) return pgQuery<T>(db, sql, params);
  return (await db.raw(sql, params)) as T[];
}

/** The first row of a query, or undefined. */
export async function queryRow<T>(db: Knex, sql: string, params: SqlValue[]): Promise<T | undefined> {
  const conn = await sqliteConnection(db);
  if (conn) return statement(conn, sql).get(params) as T | undefined;
  if (isSqlite(db) && !(db as Knex.Transaction).isTransaction)
    return onPooledSqlite(db, sql, (s) => s.get(params) as T | undefined);
  return (await queryRows<T>(db, sql, params))[0];
}

/** Runs a statement whose rows are not needed. */
export async function execute(db: Knex, sql: string, params: SqlValue[]): Promise<void> {
  const conn = await sqliteConnection(db);
  if (conn) statement(conn, sql).run(params);
  else if (isPostgres(db)) await pgQuery(db, sql, params);
  else await db.raw(sql, params);
}

/** Liveness of the database (GET /healthz); on SQLite through the read connection, which no write holds. */
export async function ping(db: Knex): Promise<void> {
  await queryRow(db, 'select 1', []);
}
