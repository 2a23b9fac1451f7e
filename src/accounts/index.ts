import type { Feature } from '../feature.js';
import * as m003 from '../../db/migrations/003_accounts.js';
import { accountsRoutes } from './accounts.routes.js';

export const accounts: Feature = {
  name: 'accounts',
  api: accountsRoutes,
  commands: {
    accounts: {
      summary: 'accounts : créer, lister, désactiver des comptes ; délivrer des jetons',
      load: () => import('./accounts.command.js'),
    },
  },
  migrations: { '003_accounts': m003 },
};
