import type { Feature, Migration } from './feature.js';
import { cites } from './cites/index.js';
import { structures } from './structures/index.js';
import { contractors } from './contractors/index.js';
import { marches } from './marches/index.js';
import { participants } from './participants/index.js';
import { contracts } from './contracts/index.js';
import { hours } from './hours/index.js';
import { reports } from './reports/index.js';
import { attestations } from './attestations/index.js';
import { imports } from './imports/index.js';
import { exports } from './exports/index.js';
import { accounts } from './accounts/index.js';
import { audit } from './audit/index.js';
import { dashboard } from './dashboard/index.js';
import { web } from './web/index.js';
import { operations } from './operations/index.js';

/**
 * Every feature of the ledger, in the order their routes are mounted. The HTTP server
 * (src/server.ts), the command line (src/cli/main.ts) and the migrator (src/migrate.ts)
 * are all built from this one list: adding a feature is adding it here.
 */
export const features: Feature[] = [
  cites,
  structures,
  contractors,
  marches,
  participants,
  contracts,
  hours,
  reports,
  attestations,
  imports,
  exports,
  accounts,
  audit,
  dashboard,
  web,
  operations,
];

/** Every migration of every feature, in name order (`001_…`, `002_…`). */
export function allMigrations(list: Feature[] = features): Array<[string, Migration]> {
  const all = list.flatMap((f) => Object.entries(f.migrations ?? {}));
  const names = new Set<string>();
  for (const [name] of all) {
    if (names.has(name)) throw new Error(`Migration ${name} déclarée deux fois.`);
    names.add(name);
  }
  return all.sort(([a], [b]) => a.localeCompare(b));
}

/** Every command of every feature, by name. */
export function allCommands(list: Feature[] = features) {
  return Object.fromEntries(list.flatMap((f) => Object.entries(f.commands ?? {})));
}
