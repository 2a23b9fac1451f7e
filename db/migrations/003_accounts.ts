import type { Knex } from 'knex';

// Accounts, API tokens and the append-only audit log.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable();
    t.string('email', 200).nullable().unique();
    t.string('role', 16).notNullable(); // admin | facilitator | contractor | departement
    t.integer('structure_id').nullable().references('id').inTable('structures');
    t.string('contractor_siren', 9).nullable();
    t.string('contractor_siret', 14).nullable();
    t.string('departement_code', 3).nullable().references('code').inTable('departements');
    t.string('password_hash', 200).nullable();
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.string('locked_until', 30).nullable();
    t.string('disabled_at', 30).nullable();
    t.string('created_at', 30).notNullable();
  });
  await knex.schema.createTable('api_tokens', (t) => {
    t.increments('id');
    t.integer('account_id').notNullable().references('id').inTable('accounts');
    t.string('token_hash', 64).notNullable().unique();
    t.string('label', 100).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('last_used_at', 30).nullable();
    t.string('revoked_at', 30).nullable();
    t.index(['account_id']);
  });
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id');
    t.string('at', 30).notNullable();
    t.integer('account_id').nullable();
    t.string('action', 40).notNullable();
    t.string('entity', 40).notNullable();
    t.string('entity_ref', 100).nullable();
    t.text('details').nullable(); // JSON
    t.index(['action']);
    t.index(['entity', 'entity_ref']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['audit_log', 'api_tokens', 'accounts']) await knex.schema.dropTableIfExists(t);
}
