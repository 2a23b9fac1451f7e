import type { Feature } from '../feature.js';
import * as m003 from '../../db/migrations/003_accounts.js';
import * as m015 from '../../db/migrations/015_accounts_function.js';
import * as m016 from '../../db/migrations/016_auth_changes.js';
import { accountsRoutes } from './accounts.routes.js';

export const accounts: Feature = {
  name: 'accounts',
  api: accountsRoutes,
  commands: {
    accounts: {
      summary: 'accounts : créer, lister, modifier, désactiver des comptes ; délivrer des jetons',
      load: () => import('./accounts.command.js'),
    },
  },
  migrations: { '003_accounts': m003, '015_accounts_function': m015, '016_auth_changes': m016 },
};
