import type { Knex } from 'knex';

// Reference data of a programme: Départements, EPCIs, facilitation structures, bailleurs, cités.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('programmes', (t) => {
    t.increments('id');
    t.string('code', 32).notNullable().unique();
    t.string('name', 200).notNullable();
    t.bigInteger('target_centihours').notNullable();
    t.string('start_date', 10).notNullable();
    t.string('end_date', 10).notNullable();
  });
  await knex.schema.createTable('departements', (t) => {
    t.string('code', 3).primary();
    t.string('name', 100).notNullable();
  });
  await knex.schema.createTable('epcis', (t) => {
    t.increments('id');
    t.string('code', 32).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('departement_code', 3).notNullable().references('code').inTable('departements');
  });
  await knex.schema.createTable('structures', (t) => {
    t.increments('id');
    t.string('code', 64).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('kind', 16).notNullable(); // plie | regie
  });
  await knex.schema.createTable('structure_epcis', (t) => {
    t.integer('structure_id').notNullable().references('id').inTable('structures');
    t.integer('epci_id').notNullable().references('id').inTable('epcis');
    t.primary(['structure_id', 'epci_id']);
    t.index(['epci_id']);
  });
  await knex.schema.createTable('bailleurs', (t) => {
    t.increments('id');
    t.string('code', 64).notNullable().unique();
    t.string('name', 200).notNullable();
  });
  await knex.schema.createTable('cites', (t) => {
    t.increments('id');
    t.string('code', 64).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('commune', 100).notNullable();
    t.integer('programme_id').notNullable().references('id').inTable('programmes');
    t.integer('epci_id').notNullable().references('id').inTable('epcis');
    t.integer('bailleur_id').nullable().references('id').inTable('bailleurs');
    t.index(['epci_id']);
    t.index(['programme_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['cites', 'bailleurs', 'structure_epcis', 'structures', 'epcis', 'departements', 'programmes']) {
    await knex.schema.dropTableIfExists(t);
  }
}
