import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { FALLBACK_PAGES, startCheckpointer } from './checkpointer.js';

// PostgreSQL returns bigint (sums, counts) and numeric as strings; the ledger's numbers all
// fit in a double, so they are normalised to numbers here, once, for every query.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export type Db = Knex;
export type Engine = 'sqlite' | 'postgres';

export interface DbOptions {
  /** PostgreSQL schema to use (tests give each file its own). */
  schema?: string;
  /**
   * SQLite: WAL checkpoints in a thread of their own (the default, for the server). The
   * command line does without (10 MB less for a big import, whose one transaction the thread
   * could not checkpoint anyway): its connection checkpoints past FALLBACK_PAGES, and on closing.
   */
  checkpointThread?: boolean;
}

export function engineOf(url: string): Engine {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite';
}

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

export function createDb(url: string, opts: DbOptions = {}): Knex {
  if (engineOf(url) === 'postgres') {
    return knexFactory({
      client: 'pg',
      connection: url,
      searchPath: opts.schema ? [opts.schema] : undefined,
      pool: { min: 0, max: 10 },
    });
  }
  const filename = url.replace(/^file:/, '').replace(/^sqlite:/, '') || ':memory:';
  if (filename !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  let stopCheckpoints: (() => Promise<void>) | undefined;
  const db = knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    // One connection: better-sqlite3 is synchronous, so transactions are serialised and an
    // in-memory database lives as long as the pool.
    pool: {
      min: 1,
      max: 1,
      idleTimeoutMillis: Number.MAX_SAFE_INTEGER,
      afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        if (filename !== ':memory:') {
          conn.pragma('journal_mode = WAL');
          conn.pragma('synchronous = NORMAL');
          // Checkpoints run in a thread of their own (./checkpointer.ts), not in a commit.
          conn.pragma(`wal_autocheckpoint = ${FALLBACK_PAGES}`);
          if (opts.checkpointThread !== false) stopCheckpoints ??= startCheckpointer(filename);
        }
        done(null, conn);
      },
    },
  });
  if (filename !== ':memory:')
    beforeDestroy(db.client, async () => {
      const stop = stopCheckpoints;
      stopCheckpoints = undefined;
      await stop?.();
    });
  return db;
}

/**
 * Runs `stop` when a knex client's pool is destroyed, just before: what lives beside the pool
 * (the read connection, the checkpoint thread, the listening connection) ends with it.
 */
export function beforeDestroy(client: object, stop: () => unknown): void {
  const c = client as { destroy(...args: unknown[]): Promise<unknown> };
  const destroy = c.destroy.bind(c);
  c.destroy = async (...args: unknown[]) => {
    await stop();
    return destroy(...args);
  };
}
