import type { Knex } from 'knex';
import * as m001 from './001_reference.js';
import * as m002 from './002_ledger.js';
import * as m003 from './003_accounts.js';
import * as m004 from './004_imports.js';
import * as m005 from './005_reports.js';
import * as m006 from './006_accounts_web.js';
import * as m007 from './007_attestations.js';

type Migration = { up(k: Knex): Promise<void>; down(k: Knex): Promise<void> };

// The ordered list of migrations. Listed here (not discovered on disk) so that the same
// files run from tsx, vitest and any bundler, on both engines. Append new ones at the end.
export const migrations: Array<[string, Migration]> = [
  ['001_reference', m001],
  ['002_ledger', m002],
  ['003_accounts', m003],
  ['004_imports', m004],
  ['005_reports', m005],
  ['006_accounts_web', m006],
  ['007_attestations', m007],
];

export const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => migrations,
  getMigrationName: ([name]) => name,
  getMigration: async ([, m]) => m,
};
