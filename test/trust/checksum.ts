import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { isPostgres } from '../../src/db/knex.js';

/** The application's tables (migration bookkeeping left out), in name order. */
export async function tableNames(db: Knex): Promise<string[]> {
  const names: string[] = isPostgres(db)
    ? (
        await db.raw<{ rows: Array<{ name: string }> }>(
          `SELECT table_name AS name FROM information_schema.tables
           WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
        )
      ).rows.map((r) => r.name)
    : (
        await db.raw<Array<{ name: string }>>(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
        )
      ).map((r) => r.name);
  return names.filter((n) => !n.startsWith('knex_migrations')).sort();
}

/**
 * One digest per table over every row's content (order independent). PostgreSQL computes it
 * in one round trip; SQLite (in memory in tests) reads the rows.
 */
export async function tableChecksums(db: Knex, tables: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (isPostgres(db)) {
    const sql = tables
      .map((t) => `SELECT '${t}' AS t, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM "${t}" x`)
      .join(' UNION ALL ');
    for (const r of (await db.raw<{ rows: Array<{ t: string; h: string }> }>(sql)).rows) out[r.t] = r.h;
    return out;
  }
  for (const t of tables) {
    const rows = (await db(t).select()) as unknown[];
    const lines = rows.map((r) => JSON.stringify(r)).sort();
    out[t] = crypto.createHash('md5').update(lines.join('|')).digest('hex');
  }
  return out;
}

/** Names of the tables whose digest differs. */
export function changedTables(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]);
}

/**
 * PostgreSQL: a statement trigger on every table bumps a sequence (sequences ignore rollbacks),
 * so that `writeSignature` costs one tiny query. Test instrumentation only, in the test schema.
 */
export async function installWriteCounter(db: Knex, tables: string[]): Promise<void> {
  if (!isPostgres(db)) return;
  await db.raw('CREATE SEQUENCE test_write_counter');
  await db.raw(`CREATE FUNCTION test_count_write() RETURNS trigger AS $$
    BEGIN PERFORM nextval('test_write_counter'); RETURN NULL; END; $$ LANGUAGE plpgsql`);
  for (const t of tables)
    await db.raw(`CREATE TRIGGER test_count_write AFTER INSERT OR UPDATE OR DELETE ON "${t}"
      FOR EACH STATEMENT EXECUTE FUNCTION test_count_write()`);
}

/**
 * A cheap signature that moves whenever something may have been written (the full checksum is
 * then taken): SQLite, the rows changed so far by its single connection (rolled back or not);
 * PostgreSQL, the counter of `installWriteCounter`.
 */
export async function writeSignature(db: Knex): Promise<string> {
  if (!isPostgres(db)) {
    const rows = await db.raw<Array<{ n: number }>>('SELECT total_changes() AS n');
    return String(rows[0].n);
  }
  const r = await db.raw<{ rows: Array<{ v: string; c: boolean }> }>(
    'SELECT last_value AS v, is_called AS c FROM test_write_counter',
  );
  return `${r.rows[0].v}:${r.rows[0].c}`;
}
