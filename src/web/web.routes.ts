import { Router } from 'express';
import type { AppContext } from '../context.js';
import { assetRoutes } from './assets.js';
import { espaceRoutes } from './espace.page.js';
import { saisieRoutes } from './saisie.page.js';
import { importsRoutes } from './imports.page.js';
import { marchesRoutes } from './marches.page.js';
import { attestationsRoutes } from './attestations.page.js';
import { participantsRoutes } from './participants.page.js';
import { contratsRoutes } from './contrats.page.js';
import { entreprisesRoutes } from './entreprises.page.js';
import { withSession } from './guard.js';
import { loginRoutes } from './login.page.js';
import { reportPages } from './reports/reports.pages.js';
import { adminPages } from './admin/admin.pages.js';

// The browser side, one router per area, all behind the session loader. Pages are French,
// server-rendered (templates/web), and work without JavaScript.
export function webRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use(assetRoutes());
  r.use((req, _res, next) => (req.path.startsWith('/api/') ? next('router') : next()));
  r.use(withSession(ctx));
  for (const area of [
    loginRoutes,
    espaceRoutes,
    saisieRoutes,
    importsRoutes,
    marchesRoutes,
    attestationsRoutes,
    participantsRoutes,
    contratsRoutes,
    entreprisesRoutes,
    reportPages,
    adminPages,
  ])
    r.use(area(ctx));
  return r;
}
