import type { Knex } from 'knex';

// Contractors, marchés, participants, contracts and the append-only ledger of hours.
// Hours are integers of hundredths of an hour (centihours); dates are ISO text on both engines.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contractors', (t) => {
    t.increments('id');
    t.string('siret', 14).notNullable().unique();
    t.string('siren', 9).notNullable();
    t.string('name', 200).notNullable();
    t.string('created_at', 30).notNullable();
    t.index(['siren']);
  });
  await knex.schema.createTable('marches', (t) => {
    t.increments('id');
    t.string('ref', 64).notNullable().unique();
    t.integer('cite_id').notNullable().references('id').inTable('cites');
    t.integer('contractor_id').notNullable().references('id').inTable('contractors');
    t.string('title', 300).notNullable();
    t.bigInteger('amount_cents').notNullable();
    t.bigInteger('required_centihours').notNullable();
    t.string('start_date', 10).notNullable();
    t.string('end_date', 10).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.index(['cite_id']);
    t.index(['contractor_id']);
  });
  await knex.schema.createTable('participants', (t) => {
    t.increments('id');
    t.string('ref', 64).notNullable().unique();
    t.string('first_name', 100).nullable();
    t.string('last_name', 100).nullable();
    t.string('birth_date', 10).notNullable();
    t.string('sex', 1).notNullable();
    // The structure whose facilitator follows the participant (sees its identity).
    t.integer('structure_id').nullable().references('id').inTable('structures');
    t.string('created_at', 30).notNullable();
    t.string('pseudonymised_at', 30).nullable();
    t.index(['structure_id']);
  });
  await knex.schema.createTable('contracts', (t) => {
    t.increments('id');
    t.string('ref', 64).notNullable().unique();
    t.integer('participant_id').notNullable().references('id').inTable('participants');
    t.integer('marche_id').notNullable().references('id').inTable('marches');
    t.string('employer_siret', 14).notNullable();
    t.string('contract_type', 16).notNullable();
    t.string('mode', 8).notNullable();
    t.string('start_date', 10).notNullable();
    t.string('end_date', 10).notNullable();
    // Categories as they stood on the contract's start date (frozen; docs/rules.md).
    t.string('categories', 100).notNullable(); // comma list, canonical order
    t.boolean('cat_rsa').notNullable().defaultTo(false);
    t.boolean('cat_jeune').notNullable().defaultTo(false);
    t.boolean('cat_senior').notNullable().defaultTo(false);
    t.string('rsa_departement', 3).nullable().references('code').inTable('departements');
    t.string('exit_outcome', 16).nullable();
    t.string('created_at', 30).notNullable();
    t.index(['participant_id']);
    t.index(['marche_id']);
  });
  await knex.schema.createTable('hour_entries', (t) => {
    t.increments('id');
    t.integer('contract_id').notNullable().references('id').inTable('contracts');
    t.string('month', 7).notNullable();
    t.integer('centihours').notNullable(); // signed: a correction carries the difference
    t.string('kind', 12).notNullable(); // entry | correction
    t.integer('corrects_id').nullable().references('id').inTable('hour_entries');
    t.string('reason', 500).nullable();
    t.string('idempotency_key', 200).nullable().unique();
    t.string('request_hash', 64).nullable();
    t.integer('posted_by').nullable();
    t.integer('import_id').nullable();
    t.string('created_at', 30).notNullable();
    t.index(['contract_id', 'month']);
    t.index(['import_id']);
  });
  // Rollup: the total of each (contract, month), kept in the same transaction as each entry.
  await knex.schema.createTable('contract_months', (t) => {
    t.integer('contract_id').notNullable().references('id').inTable('contracts');
    t.string('month', 7).notNullable();
    t.integer('centihours').notNullable();
    t.primary(['contract_id', 'month']);
    t.index(['month']);
  });
  await knex.schema.createTable('closed_months', (t) => {
    t.integer('structure_id').notNullable().references('id').inTable('structures');
    t.string('month', 7).notNullable();
    t.integer('closed_by').nullable();
    t.string('closed_at', 30).notNullable();
    t.primary(['structure_id', 'month']);
  });

  // The ledger is append-only, enforced by the database itself.
  if (knex.client.config.client === 'pg') {
    await knex.raw(`CREATE FUNCTION hour_entries_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'hour_entries is append-only'; END; $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER hour_entries_no_change BEFORE UPDATE OR DELETE ON hour_entries
      FOR EACH ROW EXECUTE FUNCTION hour_entries_append_only()`);
  } else {
    await knex.raw(`CREATE TRIGGER hour_entries_no_update BEFORE UPDATE ON hour_entries
      BEGIN SELECT RAISE(ABORT, 'hour_entries is append-only'); END`);
    await knex.raw(`CREATE TRIGGER hour_entries_no_delete BEFORE DELETE ON hour_entries
      BEGIN SELECT RAISE(ABORT, 'hour_entries is append-only'); END`);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const t of [
    'closed_months',
    'contract_months',
    'hour_entries',
    'contracts',
    'participants',
    'marches',
    'contractors',
  ]) {
    await knex.schema.dropTableIfExists(t);
  }
  if (knex.client.config.client === 'pg') await knex.raw('DROP FUNCTION IF EXISTS hour_entries_append_only()');
}
