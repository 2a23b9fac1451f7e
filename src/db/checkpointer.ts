import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// WAL checkpoints of a SQLite file, in a thread of their own. By default the connection that
// commits past 1 000 pages of WAL copies them into the database file and syncs it, inside
// that commit: one hour entry in a hundred waited 10 ms more for it. Here a worker thread,
// with its own connection, runs a PASSIVE checkpoint every CHECKPOINT_MS (it never waits
// for a reader or a writer, and it leaves what it cannot copy for the next time), and the
// pool's connection checkpoints by itself only past FALLBACK_PAGES, should the worker lag.

export const CHECKPOINT_MS = 200;
export const FALLBACK_PAGES = 10_000; // 40 MB of WAL with 4 KiB pages

// The worker's code, as a script: it runs alike under tsx, vitest and compiled code.
const SCRIPT = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
db.pragma('busy_timeout = 0');
setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.everyMs);
`;

/** Starts checkpointing `filename` in the background; the returned function stops it. */
export function startCheckpointer(filename: string): () => Promise<void> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SCRIPT, { eval: true, workerData: { filename, driver, everyMs: CHECKPOINT_MS } });
  worker.on('error', () => {}); // the fallback checkpoints of the pool's connection remain
  worker.unref();
  return async () => {
    await worker.terminate();
  };
}
