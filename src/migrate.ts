import type { Knex } from 'knex';
import { allMigrations } from './features.js';
import type { Migration } from './feature.js';
import { seedReference } from '../db/seeds/reference/load.js';

// Migrations are declared by their feature (src/features.ts), not discovered on disk, so that
// the same files run from tsx, vitest and compiled code, on both engines.
const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => allMigrations(),
  getMigrationName: ([name]) => name,
  getMigration: async ([, m]) => m,
};

export async function migrateLatest(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource });
}

export async function migrateDownAll(db: Knex): Promise<void> {
  await db.migrate.rollback({ migrationSource }, true);
}

/** What runs at every start: schema, then reference data (idempotent). */
export async function prepareDatabase(db: Knex): Promise<void> {
  await migrateLatest(db);
  await seedReference(db);
}
