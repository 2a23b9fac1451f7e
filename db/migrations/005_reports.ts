import type { Knex } from 'knex';

// Report rollups, kept in step by src/reports/rollups/ (docs/reports.md).
//
// report_hours: the hours of each (programme, dimension, key, month); hours are additive.
// report_counts: exact distinct counts that stay additive over any month range. For each
// owner (a participant, entity 'p', or a contract, entity 'c') and each (dimension, key),
// the months where the owner has hours > 0 form a chain m1 < m2 < ...; each link is stored
// as (month = mi, prev = m(i-1), '' for the first) and counted in n. The owners with hours
// in [from, to] are then exactly the links with month in [from, to] and prev < from: each
// owner is counted once, at its first month in the period.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_hours', (t) => {
    t.integer('programme_id').notNullable();
    t.string('dim', 24).notNullable();
    t.string('key', 64).notNullable();
    t.string('month', 7).notNullable();
    t.bigInteger('centihours').notNullable();
    t.primary(['programme_id', 'dim', 'key', 'month']);
  });
  await knex.schema.createTable('report_counts', (t) => {
    t.integer('programme_id').notNullable();
    t.string('dim', 24).notNullable();
    t.string('entity', 1).notNullable(); // p = participants, c = contracts
    t.string('key', 64).notNullable();
    t.string('month', 7).notNullable();
    t.string('prev', 7).notNullable(); // '' when the owner had no earlier month
    t.integer('n').notNullable();
    t.primary(['programme_id', 'dim', 'entity', 'key', 'month', 'prev']);
    t.index(['programme_id', 'dim', 'entity', 'month']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('report_counts');
  await knex.schema.dropTableIfExists('report_hours');
}
