import type { Feature } from '../feature.js';
import * as m001 from '../../db/migrations/001_reference.js';
import { citesRoutes } from './cites.routes.js';

/** Reference data: programmes, Départements, EPCIs, structures, bailleurs and cités. */
export const cites: Feature = { name: 'cites', api: citesRoutes, migrations: { '001_reference': m001 } };
