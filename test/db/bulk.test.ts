import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertFlat, insertFlatReturning } from '../../src/db/bulk.js';
import { queryRows } from '../../src/db/sql.js';
import { emptyDb, engines } from '../helpers/db.js';

// Multi-row inserts split into statements of a few sizes (exact up to 64 rows, powers of two
// above, full batches): every row is written once, and RETURNING gives every row.

describe.each(engines)('bulk inserts [%s]', (engine) => {
  let t: { db: Knex; destroy(): Promise<void> };
  beforeEach(async () => {
    t = await emptyDb(engine, { onDisk: true });
    await t.db.schema.createTable('numbers', (tb) => {
      tb.integer('n').primary();
      tb.integer('twice').notNullable();
    });
  });
  afterEach(async () => {
    await t.destroy();
  });

  const q = { head: 'insert into numbers (n, twice)', columns: 2 };
  const values = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => [from + i, 2 * (from + i)]).flat();

  it('writes every row of any count, in statements of bounded sizes', async () => {
    let from = 0;
    for (const count of [1, 63, 64, 65, 100, 127, 128, 1000, 2611]) {
      await insertFlat(t.db, q, values(from, count), 250);
      from += count;
    }
    const rows = await queryRows<{ n: number; twice: number }>(t.db, 'select n, twice from numbers order by n', []);
    expect(rows.length).toBe(from);
    expect(rows.every((r, i) => Number(r.n) === i && Number(r.twice) === 2 * i)).toBe(true);
  });

  it('returns every row of RETURNING', async () => {
    const out = await insertFlatReturning<{ n: number }>(t.db, { ...q, tail: 'returning n' }, values(0, 777), 300);
    expect(out.map((r) => Number(r.n)).sort((a, b) => a - b)).toEqual(Array.from({ length: 777 }, (_, i) => i));
  });
});
