import type { Knex } from 'knex';
import { breathe } from '../lib/breathe.js';
import { isPostgres } from './knex.js';
import { queryRows, type SqlValue, sqliteConnection, statement } from './sql.js';

// Multi-row INSERTs for the bulk paths (imports, rollup upkeep). Statements of full batches
// are prepared once per SQLite connection (src/db/sql.ts); same SQL on PostgreSQL through
// knex.raw (its protocol has no per-statement compile cost worth caching).

export interface BulkInsert {
  /** `insert into t (a, b, c)` */
  head: string;
  columns: number;
  /** Optional `on conflict ... do update ...`, and/or `returning ...`. */
  tail?: string;
}

const sqlOf = (q: BulkInsert, n: number) => {
  const one = `(${new Array(q.columns).fill('?').join(',')})`;
  return `${q.head} values ${new Array(n).fill(one).join(',')}${q.tail ? ` ${q.tail}` : ''}`;
};

/**
 * How many of the `left` rows the next statement takes: `per`, or the exact number when it is
 * small, or else the largest power of two that fits. Each size is a statement prepared once
 * per connection (./sql.ts): sizes must be few, since a statement of thousands of rows holds
 * a megabyte of native memory, and an import's chunks end with every possible remainder.
 */
function statementRows(left: number, per: number): number {
  if (left >= per) return per;
  if (left <= 64) return left;
  return 2 ** Math.floor(Math.log2(left));
}

async function eachStatement(
  db: Knex,
  q: BulkInsert,
  values: SqlValue[],
  rowsPerStatement: number | undefined,
  each: (rows: unknown[]) => void,
): Promise<void> {
  const rows = values.length / q.columns;
  if (!rows) return;
  const pg = isPostgres(db);
  const per = rowsPerStatement ?? Math.floor((pg ? 60_000 : 30_000) / q.columns);
  const conn = await sqliteConnection(db);
  const returning = /\breturning\b/i.test(q.tail ?? '');
  for (let i = 0; i < rows; ) {
    const n = conn ? statementRows(rows - i, per) : Math.min(per, rows - i);
    const part = values.slice(i * q.columns, (i + n) * q.columns);
    i += n;
    if (conn) {
      const s = statement(conn, sqlOf(q, n));
      if (returning) each(s.all(part));
      else s.run(part);
    } else if (pg) each(await queryRows(db, sqlOf(q, n), part));
    else {
      const r = await db.raw(sqlOf(q, n), part);
      each(Array.isArray(r) ? r : []);
    }
    if (rows > per) await breathe(); // a big write (an import's) lets other requests in
  }
}

/**
 * Inserts rows given as one flat array of values (`columns` values a row), in statements of
 * up to `rowsPerStatement` rows (default: as many as the engine's bind limit comfortably allows).
 */
export async function insertFlat(
  db: Knex,
  q: BulkInsert,
  values: SqlValue[],
  rowsPerStatement?: number,
): Promise<void> {
  await eachStatement(db, q, values, rowsPerStatement, () => {});
}

/** The same, for statements that end with `returning ...`: the rows they return. */
export async function insertFlatReturning<T>(
  db: Knex,
  q: BulkInsert,
  values: SqlValue[],
  rowsPerStatement?: number,
): Promise<T[]> {
  const out: T[] = [];
  await eachStatement(db, q, values, rowsPerStatement, (rows) => {
    for (const r of rows) out.push(r as T);
  });
  return out;
}
