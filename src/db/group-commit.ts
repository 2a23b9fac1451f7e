import type { Knex } from 'knex';
import { isPostgres } from './knex.js';
import { bindHandle, type PoolClient, type SqliteConnection, statement, unbindHandle } from './sql.js';

// Write transactions of the hot path (hour entries), with group commit on SQLite.
//
// On SQLite one connection does every write, one transaction after the other, and a COMMIT
// costs more than the few inserts of an hour entry (the pages it wrote go to the WAL). So
// the works that arrive while a transaction runs wait in a queue, and the next transaction
// runs all of them (up to MAX_GROUP), each inside its own SAVEPOINT: a work that fails is
// rolled back alone, the others are committed together. No work's result is given before
// the COMMIT that made it durable, so a crash loses only unanswered works. Work that must
// run once per transaction rather than once per work (the report rollups, which cost less
// for many entries at once) is handed to `beforeCommit`.
//
// On PostgreSQL, each work is a knex transaction of its own (the server runs them side by
// side on the pool's connections).

type Flush<T> = (trx: Knex, items: T[]) => Promise<void>;
type AnyFlush = Flush<unknown>;

interface Job {
  work: (trx: Knex) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}
interface Queue {
  jobs: Job[];
  running: boolean;
}

const MAX_GROUP = 64;
const queues = new WeakMap<object, Queue>();
// What each work's handle handed to `beforeCommit`, kept until the work ends.
const deferred = new WeakMap<object, Map<AnyFlush, unknown[]>>();

/**
 * Runs `flush(trx, items)` before the transaction commits. In a group (SQLite), the items
 * of every work of the group that succeeded are gathered, in work order, and flushed once,
 * just before the COMMIT; elsewhere `flush` runs at once.
 */
export async function beforeCommit<T>(trx: Knex, flush: Flush<T>, items: T[]): Promise<void> {
  const mine = deferred.get(trx);
  if (!mine) return flush(trx, items);
  let list = mine.get(flush as AnyFlush);
  if (!list) mine.set(flush as AnyFlush, (list = []));
  for (const item of items) list.push(item);
}

/**
 * Runs `work` in a transaction: on PostgreSQL a knex transaction; on SQLite a share of a
 * group transaction (see above). The handle given to `work` is for the functions of
 * ./sql.ts and ./bulk.ts only (not a query builder).
 */
export async function writeTransaction<T>(db: Knex, work: (trx: Knex) => Promise<T>): Promise<T> {
  if (isPostgres(db) || (db as Knex.Transaction).isTransaction) return db.transaction(work);
  let q = queues.get(db.client);
  if (!q) queues.set(db.client, (q = { jobs: [], running: false }));
  const queue = q;
  return new Promise<T>((resolve, reject) => {
    queue.jobs.push({ work, resolve: resolve as (v: unknown) => void, reject });
    if (queue.running) return;
    queue.running = true;
    // Started on the next turn of the event loop: the requests read in this one join the group.
    setImmediate(() => void drain(db, queue));
  });
}

async function drain(db: Knex, queue: Queue): Promise<void> {
  try {
    while (queue.jobs.length) await runGroup(db, queue.jobs.splice(0, MAX_GROUP));
  } finally {
    queue.running = false;
  }
}

const run = (conn: SqliteConnection, sql: string) => statement(conn, sql).run([]);

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

async function runGroup(db: Knex, group: Job[]): Promise<void> {
  const client = db.client as PoolClient;
  let conn: SqliteConnection;
  try {
    conn = await client.acquireConnection();
  } catch (e) {
    for (const job of group) job.reject(e);
    return;
  }
  const outcomes: Outcome[] = [];
  try {
    run(conn, 'BEGIN IMMEDIATE');
    try {
      const pending = new Map<AnyFlush, unknown[]>();
      for (const job of group) outcomes.push(await runOne(db, conn, job, group.length > 1, pending));
      const handle = bindHandle(db, conn);
      try {
        for (const [flush, items] of pending) await flush(handle, items);
      } finally {
        unbindHandle(handle);
      }
      run(conn, 'COMMIT');
    } catch (e) {
      if (conn.inTransaction) run(conn, 'ROLLBACK');
      throw e;
    }
  } catch (e) {
    // The transaction is gone (a lone work failed, or the group could not commit): nothing of
    // it was written, and every work of the group is told so.
    for (const job of group) job.reject(e);
    return;
  } finally {
    await client.releaseConnection(conn);
  }
  group.forEach((job, i) => {
    const o = outcomes[i];
    if (o.ok) job.resolve(o.value);
    else job.reject(o.error);
  });
}

/** One work of a group, in a savepoint when it has company; a lone work's failure is thrown. */
async function runOne(
  db: Knex,
  conn: SqliteConnection,
  job: Job,
  inSavepoint: boolean,
  pending: Map<AnyFlush, unknown[]>,
): Promise<Outcome> {
  const handle = bindHandle(db, conn);
  const mine = new Map<AnyFlush, unknown[]>();
  deferred.set(handle, mine);
  if (inSavepoint) run(conn, 'SAVEPOINT work');
  try {
    const value = await job.work(handle);
    if (inSavepoint) run(conn, 'RELEASE work');
    for (const [flush, items] of mine) {
      const list = pending.get(flush);
      if (!list) pending.set(flush, items);
      else for (const item of items) list.push(item);
    }
    return { ok: true, value };
  } catch (error) {
    if (!inSavepoint) throw error;
    run(conn, 'ROLLBACK TO work');
    run(conn, 'RELEASE work');
    return { ok: false, error };
  } finally {
    deferred.delete(handle);
    unbindHandle(handle);
  }
}
