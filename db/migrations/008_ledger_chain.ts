import type { Knex } from 'knex';

// The hash chain over the ledger's entries: one link per sealed entry, in sealing order, each
// hash covering the entry's content and the previous link. Filled only by `ledger seal`
// (src/operations): writing hours never depends on it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ledger_chain', (t) => {
    t.integer('seq').primary();
    t.integer('entry_id').notNullable().unique().references('id').inTable('hour_entries');
    t.string('hash', 64).notNullable();
    t.string('sealed_at', 30).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('ledger_chain');
}
