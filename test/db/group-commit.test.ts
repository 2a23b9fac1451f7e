import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Batch, beforeCommit, writeTransaction } from '../../src/db/group-commit.js';
import { execute, ping, queryRows } from '../../src/db/sql.js';
import { emptyDb, engines } from '../helpers/db.js';

// Write transactions with group commit (SQLite) and the SQLite read connection. The SQLite
// cases run on a database file, as in production: an in-memory database has no second
// connection.

describe.each(engines)('write transactions [%s]', (engine) => {
  let t: { db: Knex; destroy(): Promise<void> };
  beforeEach(async () => {
    t = await emptyDb(engine, { onDisk: true });
    await t.db.schema.createTable('notes', (tb) => {
      tb.integer('n').primary();
    });
  });
  afterEach(async () => {
    await t.destroy();
  });

  const numbers = async () =>
    (await queryRows<{ n: number }>(t.db, 'select n from notes order by n', [])).map((r) => r.n);

  it('commits the works that succeed, rolls back the one that fails, and flushes once per transaction', async () => {
    const flushed: number[][] = [];
    const flush = async (trx: Knex, items: number[]) => {
      flushed.push(items);
      for (const n of items) await execute(trx, 'insert into notes (n) values (?)', [n + 100]);
    };
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        writeTransaction(t.db, async (trx) => {
          await execute(trx, 'insert into notes (n) values (?)', [i]);
          await beforeCommit(trx, flush, [i]);
          if (i === 5) throw new Error('refusé');
          return i;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(results.map((_, i) => (i === 5 ? 'rejected' : 'fulfilled')));
    const kept = [0, 1, 2, 3, 4, 6, 7, 8, 9];
    expect(await numbers()).toEqual([...kept, ...kept.map((n) => n + 100)]);
    // The ten works arrived together: they were one group, rolled back for the failing work
    // and run again without it. Its item is not flushed; the others are, once, in order.
    expect(flushed).toEqual([kept]);
  });

  it('runs works that share a batch as one on PostgreSQL, and one by one when the batch fails', async () => {
    const calls: number[][] = [];
    const batch: Batch<number> = {
      async run(trx, inputs) {
        calls.push(inputs);
        for (const n of inputs) await execute(trx, 'insert into notes (n) values (?)', [n]);
        if (inputs.includes(13)) throw new Error('lot refusé');
        return inputs.map((n) => n * 2);
      },
    };
    const post = (n: number) =>
      writeTransaction(
        t.db,
        async (trx) => {
          if (n === 13) throw new Error('treize');
          await execute(trx, 'insert into notes (n) values (?)', [n]);
          return n * 2;
        },
        { batch: { of: batch, input: n } },
      );
    expect(await Promise.all([1, 2, 3].map(post))).toEqual([2, 4, 6]);
    const r = await Promise.allSettled([4, 13, 5].map(post));
    expect(r.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(r[1]).toMatchObject({ reason: new Error('treize') });
    expect(await numbers()).toEqual([1, 2, 3, 4, 5]);
    // SQLite has no round trips to save: its groups run work by work.
    expect(calls).toEqual(
      engine === 'postgres'
        ? [
            [1, 2, 3],
            [4, 13, 5],
          ]
        : [],
    );
  });

  it('writes nothing of a lone work that fails', async () => {
    await expect(
      writeTransaction(t.db, async (trx) => {
        await execute(trx, 'insert into notes (n) values (?)', [1]);
        throw new Error('refusé');
      }),
    ).rejects.toThrow('refusé');
    expect(await numbers()).toEqual([]);
  });

  it('refuses a handle used after its transaction', async () => {
    if (engine === 'postgres') return; // a knex transaction refuses it by itself
    let kept: Knex | undefined;
    await writeTransaction(t.db, async (trx) => {
      kept = trx;
    });
    await expect(execute(kept!, 'insert into notes (n) values (?)', [1])).rejects.toThrow(/Transaction terminée/);
    expect(await numbers()).toEqual([]);
  });

  it('answers a health check and reads the last commit while a write transaction is open', async () => {
    await execute(t.db, 'insert into notes (n) values (?)', [1]);
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const writer = t.db.transaction(async (trx) => {
      await trx('notes').insert({ n: 2 });
      await held;
    });
    await new Promise((r) => setTimeout(r, 20));
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('attente')), 2000));
    await Promise.race([ping(t.db), timeout]);
    if (engine === 'sqlite') expect(await Promise.race([numbers(), timeout])).toEqual([1]);
    release();
    await writer;
    expect(await numbers()).toEqual([1, 2]);
  });
});
