import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { createDb, type Engine } from '../../src/db/knex.js';

// Databases of their own for the tests that run the real server or CLI as child processes:
// a SQLite file in a temporary folder, or a fresh PostgreSQL database (the server takes a
// URL, not a schema).
export interface TempDatabase {
  url: string;
  /** A connection for the test's own checks (closed by drop). */
  open(): Knex;
  drop(): Promise<void>;
}

export async function tempDatabase(engine: Engine, dir: string): Promise<TempDatabase> {
  const opened: Knex[] = [];
  const open = (url: string) => () => {
    const db = createDb(url);
    opened.push(db);
    return db;
  };
  const closeAll = async () => {
    for (const db of opened.splice(0)) await db.destroy();
  };
  if (engine === 'sqlite') {
    const url = `file:${path.join(dir, `${crypto.randomBytes(4).toString('hex')}.db`)}`;
    return { url, open: open(url), drop: closeAll };
  }
  const base = process.env.TEST_DATABASE_URL!;
  const name = `trust_${crypto.randomBytes(5).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: base, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  if (process.env.PG_TEST_MARKER) fs.appendFileSync(process.env.PG_TEST_MARKER, `${name}\n`);
  const url = base.replace(/\/[^/?]*(\?.*)?$/, `/${name}$1`);
  return {
    url,
    open: open(url),
    async drop() {
      await closeAll();
      const a = knexFactory({ client: 'pg', connection: base, pool: { min: 0, max: 1 } });
      await a.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.destroy();
    },
  };
}

export const tempDir = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
