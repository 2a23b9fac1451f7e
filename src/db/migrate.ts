import type { Knex } from 'knex';
import { migrationSource } from '../../db/migrations/index.js';
import { seedReference } from '../../db/seeds/reference/load.js';

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
