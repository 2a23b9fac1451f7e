import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { beforeDestroy } from './knex.js';
import type { SqliteConnection } from './sql.js';

// A second SQLite connection, for reads outside transactions. knex's pool holds one
// connection (better-sqlite3 is synchronous; transactions are serialised on it), so a read
// would otherwise wait behind any write transaction, however long: an import of a million
// rows held `GET /healthz` for seconds. In WAL mode a reader sees the last commit and never
// waits for the writer. Only for database files: an in-memory database is private to its
// connection. `query_only` makes a write on it fail instead of bypassing the pool.

const readers = new WeakMap<object, SqliteConnection & { close(): void }>();

/** The read connection of a file SQLite database (opened on first use), or null. */
export function readConnection(db: Knex): SqliteConnection | null {
  const client = db.client as { config: { client: string; connection?: { filename?: unknown } } };
  const existing = readers.get(client);
  if (existing) return existing;
  const filename = client.config.connection?.filename;
  // Not for memory, nor for a database opened from bytes (a Buffer: a private copy too).
  if (client.config.client !== 'better-sqlite3' || typeof filename !== 'string' || !filename) return null;
  if (filename === ':memory:') return null;
  let conn: Database.Database;
  try {
    conn = new Database(filename, { fileMustExist: true });
  } catch {
    return null; // not created yet: the pool's connection creates it
  }
  conn.pragma('busy_timeout = 5000');
  conn.pragma('query_only = ON');
  readers.set(client, conn as unknown as SqliteConnection & { close(): void });
  // Closed with the pool (a restore closes the pool before it writes the file).
  beforeDestroy(client, () => {
    readers.delete(client);
    conn.close();
  });
  return conn as unknown as SqliteConnection;
}
