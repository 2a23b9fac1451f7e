import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { errors } from '../core/errors.js';
import { engineOf } from '../db/knex.js';

// Backups and restores, engine by engine:
// - SQLite: the online backup API of SQLite (better-sqlite3 `backup()`), which copies a
//   consistent snapshot while the server keeps writing; a restore copies a backup into the
//   database file the same way (the server must be stopped).
// - PostgreSQL: `pg_dump --format=custom` and `pg_restore` (Debian's postgresql-client), run
//   when they are on the PATH; otherwise the exact command is given.

export const sqliteFileOf = (url: string): string => url.replace(/^file:/, '').replace(/^sqlite:/, '');

/** The connection URL with its password hidden, for messages. */
export const redactUrl = (url: string): string => url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1****@');

/** The better-sqlite3 connection behind knex (SQLite has one per process here). */
async function withSqliteConnection<T>(db: Knex, fn: (conn: Database.Database) => Promise<T>): Promise<T> {
  const conn = (await db.client.acquireConnection()) as Database.Database;
  try {
    return await fn(conn);
  } finally {
    await db.client.releaseConnection(conn);
  }
}

// One step for the whole copy: a snapshot taken at once cannot be restarted by a write.
const ALL_PAGES = { progress: () => 0x7fffffff };

export interface BackupResult {
  file: string;
  bytes: number;
  entries: number;
}

export async function backupSqlite(db: Knex, file: string): Promise<BackupResult> {
  await withSqliteConnection(db, (conn) => conn.backup(file, ALL_PAGES));
  return { file, bytes: fs.statSync(file).size, entries: checkSqliteBackup(file) };
}

/** Opens a backup read-only and checks it: SQLite's integrity check, and a ledger inside. */
export function checkSqliteBackup(file: string): number {
  let conn: Database.Database;
  try {
    conn = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    throw errors.invalidInput(`« ${file} » n’est pas une sauvegarde SQLite lisible.`);
  }
  try {
    const check = conn.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw errors.invalidInput(`La sauvegarde « ${file} » est endommagée (${String(check)}).`);
    const table = conn.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'hour_entries'`).get();
    if (!table)
      throw errors.invalidInput(`« ${file} » n’est pas une sauvegarde du registre (pas de table hour_entries).`);
    return Number((conn.prepare('SELECT COUNT(*) AS n FROM hour_entries').get() as { n: number }).n);
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_NOTADB')
      throw errors.invalidInput(`« ${file} » n’est pas une sauvegarde SQLite lisible.`);
    throw e;
  } finally {
    conn.close();
  }
}

export async function restoreSqlite(db: Knex, url: string, file: string): Promise<number> {
  const entries = checkSqliteBackup(file);
  const target = path.resolve(sqliteFileOf(url));
  // The CLI's own connection must hold no lock while the backup API writes the target.
  await db.destroy();
  const source = new Database(file, { readonly: true, fileMustExist: true });
  try {
    await source.backup(target, ALL_PAGES);
  } finally {
    source.close();
  }
  return entries;
}

/** Runs a PostgreSQL client tool; false when it is not installed. */
export function runTool(tool: string, args: string[]): Promise<{ found: boolean; code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ found: e.code !== 'ENOENT', code: 1, stderr: e.message }),
    );
    child.on('close', (code) => resolve({ found: true, code: code ?? 1, stderr }));
  });
}

export const pgDumpArgs = (url: string, file: string) => ['--format=custom', '--no-owner', `--file=${file}`, url];
export const pgRestoreArgs = (url: string, file: string) => [
  '--clean',
  '--if-exists',
  '--no-owner',
  '--no-privileges',
  '--single-transaction',
  `--dbname=${url}`,
  file,
];
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export const isPostgresUrl = (url: string) => engineOf(url) === 'postgres';

/** Tables whose rows are the ledger's own data (reference data and accounts left aside). */
export const LEDGER_TABLES = ['contractors', 'marches', 'participants', 'contracts', 'hour_entries', 'attestations'];

export async function ledgerRowCount(db: Knex): Promise<number> {
  let n = 0;
  for (const t of LEDGER_TABLES) {
    if (!(await db.schema.hasTable(t))) continue;
    const r = await db(t).count({ n: '*' }).first();
    n += Number(r?.n ?? 0);
  }
  return n;
}
