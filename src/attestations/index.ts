import type { Feature } from '../feature.js';
import * as m007 from '../../db/migrations/007_attestations.js';
import { attestationsRoutes } from './attestations.routes.js';
import { verifyPageRoutes } from './verify.page.js';

export const attestations: Feature = {
  name: 'attestations',
  api: attestationsRoutes,
  pages: verifyPageRoutes,
  commands: {
    attestations: {
      summary: 'Émet des attestations PDF (issue --kind clause|participant|rsa ; --apply pour émettre)',
      load: () => import('./attestations.command.js'),
    },
  },
  migrations: { '007_attestations': m007 },
};
