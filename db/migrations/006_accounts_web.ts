import type { Knex } from 'knex';

// Web sessions (stored hashed, like API tokens) and indexes for the audit log's filters.
// accounts, api_tokens and audit_log come from 003. No column is added to accounts: on SQLite,
// dropping a column rebuilds the table, which fails once api_tokens rows refer to it.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('web_sessions', (t) => {
    t.increments('id');
    t.string('token_hash', 64).notNullable().unique(); // SHA-256 of the cookie value
    t.integer('account_id').notNullable().references('id').inTable('accounts');
    t.string('csrf_token', 64).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('expires_at', 30).notNullable(); // sliding idle expiry, capped by an absolute one
    t.string('ended_at', 30).nullable(); // logout
    t.index(['account_id']);
  });
  await knex.schema.alterTable('audit_log', (t) => {
    t.index(['at']);
    t.index(['account_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.dropIndex(['at']);
    t.dropIndex(['account_id']);
  });
  await knex.schema.dropTableIfExists('web_sessions');
}
