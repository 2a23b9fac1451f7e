import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { createDb, type Engine } from '../../src/db/knex.js';
import { prepareDatabase } from '../../src/migrate.js';

// Every database test runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
// Each test database is fresh: an in-memory SQLite, or a PostgreSQL schema of its own. A
// migrated SQLite database is a copy of one migrated once per worker process.
const pgUrl = process.env.TEST_DATABASE_URL;

export const engines: Engine[] = pgUrl ? ['sqlite', 'postgres'] : ['sqlite'];

if (process.env.REQUIRE_POSTGRES === '1' && !pgUrl) {
  throw new Error('REQUIRE_POSTGRES=1 mais TEST_DATABASE_URL est absent : les tests PostgreSQL seraient sautés.');
}

export interface TestDb {
  db: Knex;
  engine: Engine;
  destroy(): Promise<void>;
}

/**
 * A fresh, empty database (no migrations). `onDisk`: SQLite in a temporary file, as in
 * production (a file has a read connection besides the pool's; memory has not).
 */
export async function emptyDb(engine: Engine, opts: { onDisk?: boolean } = {}): Promise<TestDb> {
  if (engine === 'sqlite' && opts.onDisk) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-test-'));
    const db = createDb(`file:${path.join(dir, 'test.db')}`);
    return {
      db,
      engine,
      async destroy() {
        await db.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (engine === 'sqlite') {
    const db = createDb(':memory:');
    return { db, engine, destroy: () => db.destroy() };
  }
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: pgUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`CREATE SCHEMA ${schema}`);
  const db = createDb(pgUrl!, { schema });
  if (process.env.PG_TEST_MARKER) fs.appendFileSync(process.env.PG_TEST_MARKER, `${schema}\n`);
  return {
    db,
    engine,
    async destroy() {
      await db.destroy();
      await admin.raw(`DROP SCHEMA ${schema} CASCADE`);
      await admin.destroy();
    },
  };
}

/** A fresh database with migrations and reference data applied. */
export async function freshDb(engine: Engine, opts: { onDisk?: boolean } = {}): Promise<TestDb> {
  if (engine === 'sqlite' && !opts.onDisk) return sqliteCopy(await sqliteImage());
  const t = await emptyDb(engine, opts);
  await prepareDatabase(t.db);
  return t;
}

// The bytes of an in-memory SQLite database on which prepareDatabase ran (better-sqlite3's
// serialize), made once per process: the same schema and rows as running it again.
let image: Promise<Buffer> | undefined;
function sqliteImage(): Promise<Buffer> {
  image ??= (async () => {
    const t = await emptyDb('sqlite');
    await prepareDatabase(t.db);
    const conn = (await t.db.client.acquireConnection()) as { serialize(): Buffer };
    const bytes = conn.serialize();
    t.db.client.releaseConnection(conn);
    await t.destroy();
    return bytes;
  })();
  return image;
}

/** An in-memory database opened from an image (better-sqlite3 deserializes a Buffer given as file name). */
function sqliteCopy(bytes: Buffer): TestDb {
  const db = createDb(':memory:');
  // Read when the pool opens its connection, i.e. at the first query; createDb's pragmas still apply.
  db.client.connectionSettings.filename = bytes;
  return { db, engine: 'sqlite', destroy: () => db.destroy() };
}
