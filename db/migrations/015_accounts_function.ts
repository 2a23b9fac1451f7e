import type { Knex } from 'knex';

// What an account signs with, and failed logins counted per address.
// - account_profiles: the function printed under a signatory's name on attestations. A table
//   of its own rather than a column of accounts: on SQLite, dropping a column rebuilds the
//   table, which fails once api_tokens rows refer to it (see 006).
// - login_failures: failed logins for addresses that have no usable account, counted like an
//   account's, so that the lockout answers an unknown address exactly as a real one
//   (docs/accounts.md).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('account_profiles', (t) => {
    t.integer('account_id').primary().references('id').inTable('accounts');
    t.string('function', 200).nullable();
  });
  await knex.schema.createTable('login_failures', (t) => {
    t.string('email', 200).primary(); // lower-cased
    t.integer('failed_logins').notNullable().defaultTo(0);
    t.string('locked_until', 30).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('login_failures');
  await knex.schema.dropTableIfExists('account_profiles');
}
