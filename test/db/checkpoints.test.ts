import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createDb } from '../../src/db/knex.js';

// A SQLite file's WAL is copied into the database by a worker thread (src/db/checkpointer.ts),
// not by the commit that crosses 1 000 pages: writes much smaller than the fallback threshold
// still reach the database file, without any commit checkpointing them.

describe('WAL checkpoints in the background [sqlite]', () => {
  let dir: string;
  let db: Knex;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-ckpt-'));
  });
  afterEach(async () => {
    await db?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies committed pages into the database file while the pool stays open', async () => {
    const file = path.join(dir, 'test.db');
    db = createDb(`file:${file}`);
    await db.schema.createTable('blobs', (t) => {
      t.increments('id');
      t.text('body');
    });
    const before = fs.statSync(file).size;
    await db.transaction(async (trx) => {
      for (let i = 0; i < 500; i++) await trx('blobs').insert({ body: 'x'.repeat(4000) }); // ~500 pages
    });
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);
    const t0 = Date.now();
    while (fs.statSync(file).size < before + 1_000_000 && Date.now() - t0 < 3000)
      await new Promise((r) => setTimeout(r, 20));
    expect(fs.statSync(file).size).toBeGreaterThan(before + 1_000_000);
  });
});
