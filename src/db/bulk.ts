import type { Knex } from 'knex';
import { isPostgres } from './knex.js';

// Multi-row INSERTs for the bulk paths (imports, rollup upkeep). Through knex every
// statement is compiled and, on SQLite, prepared again (a big share of an import's time);
// here, inside a SQLite transaction, the statement of a full batch is prepared once per
// connection and reused, like a bare better-sqlite3 program would. Same SQL on PostgreSQL,
// through knex.raw (its protocol has no per-statement compile cost worth caching).

interface SqliteStatement {
  run(params: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

const prepared = new WeakMap<object, Map<string, SqliteStatement>>();

/** The better-sqlite3 connection a knex transaction runs on, or null (PostgreSQL, no transaction). */
async function sqliteConnection(db: Knex): Promise<SqliteConnection | null> {
  if (isPostgres(db) || !(db as Knex.Transaction).isTransaction) return null;
  // A transaction's client always hands out the transaction's own connection.
  return (await (db.client as { acquireConnection(): Promise<SqliteConnection> }).acquireConnection()) ?? null;
}

/** The prepared statement of a full batch, kept per connection (a short key, not the SQL). */
function statement(conn: SqliteConnection, key: string, sql: () => string): SqliteStatement {
  let cache = prepared.get(conn);
  if (!cache) prepared.set(conn, (cache = new Map()));
  let s = cache.get(key);
  if (!s) cache.set(key, (s = conn.prepare(sql())));
  return s;
}

export interface BulkInsert {
  /** `insert into t (a, b, c)` */
  head: string;
  columns: number;
  /** Optional `on conflict ... do update ...`. */
  tail?: string;
}

/**
 * Inserts rows given as one flat array of values (`columns` values a row), in statements of
 * up to `rowsPerStatement` rows (default: as many as the engine's bind limit comfortably allows).
 * Values must be numbers, strings or null.
 */
export async function insertFlat(db: Knex, q: BulkInsert, values: unknown[], rowsPerStatement?: number): Promise<void> {
  const rows = values.length / q.columns;
  if (!rows) return;
  const pg = isPostgres(db);
  const per = rowsPerStatement ?? Math.floor((pg ? 60_000 : 30_000) / q.columns);
  const one = `(${new Array(q.columns).fill('?').join(',')})`;
  const sql = (n: number) => `${q.head} values ${new Array(n).fill(one).join(',')}${q.tail ? ` ${q.tail}` : ''}`;
  const conn = await sqliteConnection(db);
  for (let i = 0; i < rows; i += per) {
    const n = Math.min(per, rows - i);
    const part = values.slice(i * q.columns, (i + n) * q.columns);
    // Only full batches are cached; the last, shorter one is prepared once and dropped.
    if (conn)
      (n === per ? statement(conn, `${q.head}|${q.tail ?? ''}|${n}`, () => sql(n)) : conn.prepare(sql(n))).run(part);
    else await db.raw(sql(n), part as Knex.RawBinding[]);
  }
}
