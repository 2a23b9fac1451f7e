import type { Knex } from 'knex';

// Files checked on the /imports page, kept by their SHA-256 until applied (or for a day), so
// that "Importer" applies exactly the bytes that "Vérifier" checked, without a second upload.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('web_checked_files', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('id').inTable('accounts');
    t.string('sha256', 64).notNullable();
    t.string('kind', 10).notNullable(); // marches | hours
    t.string('file_name', 300).nullable();
    t.binary('content').notNullable();
    t.string('created_at', 30).notNullable();
    t.unique(['account_id', 'sha256', 'kind']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('web_checked_files');
}
