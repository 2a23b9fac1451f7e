import type { Knex } from 'knex';

// Imports of files: one row per import attempt (applied, dry run or refused),
// with who, when, the file's SHA-256 and the counts. hour_entries.import_id points here.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('imports', (t) => {
    t.increments('id');
    t.string('kind', 16).notNullable(); // marches | hours
    t.integer('account_id').nullable(); // null: the command line's system actor
    t.string('actor_name', 200).notNullable();
    t.string('source', 8).notNullable(); // api | cli
    t.string('file_name', 300).nullable();
    t.string('file_sha256', 64).notNullable();
    t.bigInteger('file_bytes').notNullable();
    t.boolean('dry_run').notNullable();
    t.string('status', 12).notNullable(); // applied | dry_run | rejected
    t.integer('rows').notNullable();
    t.integer('created').notNullable();
    t.integer('updated').notNullable();
    t.integer('unchanged').notNullable();
    t.bigInteger('hours_added_centihours').notNullable().defaultTo(0);
    t.integer('error_count').notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['created_at']);
    t.index(['file_sha256']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('imports');
}
