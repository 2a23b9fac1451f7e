import type { Feature } from '../feature.js';
import * as m002 from '../../db/migrations/002_ledger.js';
import * as m017 from '../../db/migrations/017_contract_months_without_rowid.js';
import { hoursRoutes } from './hours.routes.js';

/** The ledger: hour entries, corrections, closed months. */
export const hours: Feature = {
  name: 'hours',
  api: hoursRoutes,
  migrations: { '002_ledger': m002, '017_contract_months_without_rowid': m017 },
};
