import type { Knex } from 'knex';

/**
 * PostgreSQL: drops every table of the current schema (and the ledger's trigger function), so
 * that a restored dump is the whole database: tables of later migrations would otherwise stay
 * behind while the restored migration list says they do not exist yet.
 */
export async function dropAllTables(db: Knex): Promise<void> {
  const { rows } = await db.raw<{ rows: Array<{ name: string }> }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  await db.transaction(async (trx) => {
    for (const r of rows) await trx.raw('DROP TABLE IF EXISTS ?? CASCADE', [r.name]);
    await trx.raw('DROP FUNCTION IF EXISTS hour_entries_append_only() CASCADE');
  });
}
