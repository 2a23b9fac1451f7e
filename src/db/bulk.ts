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
  for (let i = 0; i < rows; i += per) {
    const n = Math.min(per, rows - i);
    const part = values.slice(i * q.columns, (i + n) * q.columns);
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
