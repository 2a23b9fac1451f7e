import type { Knex } from 'knex';
import { isPostgres } from './knex.js';
import { bindHandle, execute, type PoolClient, type SqliteConnection, statement, unbindHandle } from './sql.js';

// Write transactions of the hot path (hour entries), with group commit on SQLite.
//
// On SQLite one connection does every write, one transaction after the other, and a COMMIT
// costs more than the few inserts of an hour entry (the pages it wrote go to the WAL). So
// the works that arrive while a transaction runs wait in a queue, and the next transaction
// runs all of them (up to MAX_GROUP), one after the other. When one fails (a broken rule),
// the group is rolled back, that work gets its error, and the others run again in the next
// group, each in a SAVEPOINT of its own: a failing work never takes others with it. No
// work's result is given before the COMMIT that made it durable, so a crash loses only
// unanswered works. Work that must run once per transaction rather than once per work (the
// report rollups, which cost less for many entries at once) is handed to `beforeCommit`.
//
// On PostgreSQL the same grouping cuts the BEGIN/COMMIT round trips and, above all, the
// rollups' shared rows (a month's programme total): locked from their upsert to the COMMIT,
// they made concurrent transactions queue one behind the other. And since a round trip to the
// server costs more than an hour entry's work, works that say how to run together (a
// `Batch`: the hour entries of the API) run as one statement for the whole group; when that
// fails (a broken rule, a missing contract), the group is rolled back and its works run one
// by one, each getting its own answer. One group runs at a time on either engine: groups
// side by side on PostgreSQL (four lanes by contract) measured slower than one, their
// batches being smaller.

type Flush<T> = (trx: Knex, items: T[]) => Promise<void>;
type AnyFlush = Flush<unknown>;

/** Works of one kind that can also run together, for a whole group at once (PostgreSQL). */
export interface Batch<I> {
  /**
   * Runs the works of `inputs` in `trx` and returns each one's result, what its work would
   * have returned; throws to have the works of the group run one by one instead.
   */
  run(trx: Knex, inputs: I[]): Promise<unknown[]>;
}

interface Job {
  work: (trx: Knex) => Promise<unknown>;
  batch?: { of: Batch<unknown>; input: unknown };
  resolve(value: unknown): void;
  reject(error: unknown): void;
}
interface Queue {
  jobs: Job[];
  running: boolean;
  /** The next group runs each work in a savepoint (after a group was rolled back for one work). */
  safe: boolean;
  /** The next group runs its works one by one (its batch failed). */
  oneByOne: boolean;
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
 * Runs `work` in a share of a group transaction (see above); `batch` says how it can run with
 * others of its kind. The handle given to `work` is for the functions of ./sql.ts and
 * ./bulk.ts only (not a query builder).
 */
export async function writeTransaction<T, I = never>(
  db: Knex,
  work: (trx: Knex) => Promise<T>,
  opts: { batch?: { of: Batch<I>; input: I } } = {},
): Promise<T> {
  if ((db as Knex.Transaction).isTransaction) return db.transaction(work);
  const queue = queueOf(db);
  return new Promise<T>((resolve, reject) => {
    const batch = opts.batch as Job['batch'];
    queue.jobs.push({ work, batch, resolve: resolve as (v: unknown) => void, reject });
    if (queue.running) return;
    queue.running = true;
    // Started on the next turn of the event loop: the requests read in this one join the group.
    setImmediate(() => void drain(db, queue));
  });
}

function queueOf(db: Knex): Queue {
  let queue = queues.get(db.client);
  if (!queue) queues.set(db.client, (queue = { jobs: [], running: false, safe: false, oneByOne: false }));
  return queue;
}

async function drain(db: Knex, queue: Queue): Promise<void> {
  try {
    while (queue.jobs.length) {
      const group = queue.jobs.splice(0, MAX_GROUP);
      const safe = queue.safe;
      const batch = safe || queue.oneByOne || !isPostgres(db) ? null : batchOf(group);
      queue.safe = false;
      queue.oneByOne = false;
      const r = await (batch
        ? runPgBatch(db, group, batch)
        : isPostgres(db)
          ? runPgGroup(db, group, safe)
          : runSqliteGroup(db, group, safe));
      if (r.kind === 'unbatched') {
        queue.jobs.unshift(...group);
        queue.oneByOne = true;
      } else if (r.kind === 'failed') for (const job of group) job.reject(r.error);
      else if (r.kind === 'committed') settle(group, r.outcomes);
      else {
        // A work failed in a group without savepoints: the group was rolled back. That work is
        // answered with its error (it met the same state as it would have once the works before
        // it were committed); the others run again, first, with savepoints.
        group[r.at].reject(r.error);
        queue.jobs.unshift(...group.filter((_, i) => i !== r.at));
        queue.safe = true;
      }
    }
  } finally {
    queue.running = false;
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
type GroupResult =
  | { kind: 'committed'; outcomes: Outcome[] }
  | { kind: 'failed'; error: unknown } // nothing written, every work fails
  | { kind: 'aborted'; at: number; error: unknown } // nothing written, work `at` failed
  | { kind: 'unbatched' }; // nothing written, the works are to run one by one
type Exec = (sql: string) => unknown;

/** Raised inside a group's transaction to roll it back when a work fails without a savepoint. */
class WorkFailed {
  constructor(
    readonly at: number,
    readonly error: unknown,
  ) {}
}

function settle(group: Job[], outcomes: Outcome[]): void {
  group.forEach((job, i) => {
    const o = outcomes[i];
    if (o.ok) job.resolve(o.value);
    else job.reject(o.error);
  });
}

const failure = (e: unknown): GroupResult =>
  e instanceof WorkFailed ? { kind: 'aborted', at: e.at, error: e.error } : { kind: 'failed', error: e };

/**
 * The works of a group, one after the other, then the flushes. Without savepoints (`safe`
 * false: the common case, two statements fewer per work) a failing work rolls back the group.
 */
async function runWorks(
  group: Job[],
  handleOf: () => { handle: Knex; done(): void },
  exec: Exec,
  safe: boolean,
): Promise<Outcome[]> {
  const pending = new Map<AnyFlush, unknown[]>();
  const outcomes: Outcome[] = [];
  const savepoints = safe && group.length > 1;
  for (let i = 0; i < group.length; i++) {
    const { handle, done } = handleOf();
    try {
      outcomes.push(await runOne(handle, exec, group[i], savepoints, pending));
    } catch (e) {
      throw group.length > 1 ? new WorkFailed(i, e) : e;
    } finally {
      done();
    }
  }
  const { handle, done } = handleOf();
  try {
    for (const [flush, items] of pending) await flush(handle, items);
  } finally {
    done();
  }
  return outcomes;
}

async function runSqliteGroup(db: Knex, group: Job[], safe: boolean): Promise<GroupResult> {
  const client = db.client as PoolClient;
  let conn: SqliteConnection;
  try {
    conn = await client.acquireConnection();
  } catch (e) {
    return { kind: 'failed', error: e };
  }
  const exec: Exec = (sql) => statement(conn, sql).run([]);
  const handleOf = () => {
    const handle = bindHandle(db, conn);
    return { handle, done: () => unbindHandle(handle) };
  };
  try {
    exec('BEGIN IMMEDIATE');
    try {
      const outcomes = await runWorks(group, handleOf, exec, safe);
      exec('COMMIT');
      return { kind: 'committed', outcomes };
    } catch (e) {
      if (conn.inTransaction) exec('ROLLBACK');
      throw e;
    }
  } catch (e) {
    return failure(e);
  } finally {
    await client.releaseConnection(conn);
  }
}

async function runPgGroup(db: Knex, group: Job[], safe: boolean): Promise<GroupResult> {
  try {
    const outcomes = await db.transaction(async (trx) => {
      const exec: Exec = (sql) => execute(trx, sql, []);
      return runWorks(group, () => ({ handle: trx, done: () => {} }), exec, safe);
    });
    return { kind: 'committed', outcomes };
  } catch (e) {
    return failure(e);
  }
}

/** The batch every work of the group can run in, if they share one (and are at least two). */
function batchOf(group: Job[]): Batch<unknown> | null {
  const of = group[0].batch?.of;
  return of && group.length > 1 && group.every((j) => j.batch?.of === of) ? of : null;
}

/** The group as one batch, then the flushes; any failure rolls it back for a run one by one. */
async function runPgBatch(db: Knex, group: Job[], batch: Batch<unknown>): Promise<GroupResult> {
  try {
    const outcomes = await db.transaction(async (trx) => {
      const pending = new Map<AnyFlush, unknown[]>();
      deferred.set(trx, pending);
      let values: unknown[];
      try {
        values = await batch.run(
          trx,
          group.map((j) => j.batch?.input),
        );
      } finally {
        deferred.delete(trx);
      }
      for (const [flush, items] of pending) await flush(trx, items);
      return values.map((value): Outcome => ({ ok: true, value }));
    });
    return { kind: 'committed', outcomes };
  } catch {
    return { kind: 'unbatched' };
  }
}

/** One work, in a savepoint when asked: its failure is then its own outcome; otherwise thrown. */
async function runOne(
  handle: Knex,
  exec: Exec,
  job: Job,
  inSavepoint: boolean,
  pending: Map<AnyFlush, unknown[]>,
): Promise<Outcome> {
  const mine = new Map<AnyFlush, unknown[]>();
  deferred.set(handle, mine);
  if (inSavepoint) await exec('SAVEPOINT work');
  try {
    const value = await job.work(handle);
    if (inSavepoint) await exec('RELEASE SAVEPOINT work');
    for (const [flush, items] of mine) {
      const list = pending.get(flush);
      if (!list) pending.set(flush, items);
      else for (const item of items) list.push(item);
    }
    return { ok: true, value };
  } catch (error) {
    if (!inSavepoint) throw error;
    await exec('ROLLBACK TO SAVEPOINT work');
    await exec('RELEASE SAVEPOINT work');
    return { ok: false, error };
  } finally {
    deferred.delete(handle);
  }
}
