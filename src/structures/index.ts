import type { Feature } from '../feature.js';
import { structuresRoutes } from './structures.routes.js';

/** The facilitation structures (PLIE, EPCI in régie) and their codes. */
export const structures: Feature = {
  name: 'structures',
  api: structuresRoutes,
  commands: {
    structures: {
      summary: 'structures : liste les structures (PLIE, EPCI en régie) et leurs codes',
      load: () => import('./structures.command.js'),
    },
  },
};
