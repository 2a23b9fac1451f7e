import type { Knex } from 'knex';

// Attestations: numbered, verifiable PDFs whose facts are frozen at issue.
// Numbers ATT-yyyy-nnnnnn come from a per-year counter row, incremented in the issuing
// transaction (locked FOR UPDATE on PostgreSQL), so numbering has no gaps even under
// concurrent issue: a rolled-back issue rolls its increment back too.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('attestation_counters', (t) => {
    t.integer('year').primary();
    t.integer('last_seq').notNullable();
  });
  await knex.schema.createTable('attestations', (t) => {
    t.increments('id');
    t.string('number', 20).notNullable().unique();
    t.integer('year').notNullable();
    t.integer('seq').notNullable();
    t.string('kind', 16).notNullable(); // clause | participant | rsa
    // Random, 144 bits, base64url: unguessable; the public verify page looks it up.
    t.string('verification_code', 64).notNullable().unique();
    t.text('facts').notNullable(); // JSON: everything the PDF shows, computed once
    // JSON: the wording and layout templates as they were at issue, so that editing
    // templates/ later does not change an issued attestation's PDF.
    t.text('template').nullable();
    t.string('issued_at', 30).notNullable();
    t.integer('issued_by').nullable(); // account id; null when issued from the CLI
    // Scoping columns (who may read it), copied from the facts at issue.
    t.integer('structure_id').nullable().references('id').inTable('structures');
    t.integer('contractor_id').nullable().references('id').inTable('contractors');
    t.string('departement_code', 3).nullable().references('code').inTable('departements');
    t.string('subject_ref', 64).nullable(); // marché ref, participant ref or Département code
    t.string('revoked_at', 30).nullable();
    t.integer('revoked_by').nullable();
    t.string('revoke_reason', 500).nullable();
    t.unique(['year', 'seq']);
    t.index(['structure_id']);
    t.index(['contractor_id']);
    t.index(['departement_code']);
    t.index(['kind', 'subject_ref']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('attestations');
  await knex.schema.dropTableIfExists('attestation_counters');
}
