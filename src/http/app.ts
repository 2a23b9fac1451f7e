import express, { Router } from 'express';
import helmet from 'helmet';
import type { AppContext } from '../context.js';
import { authenticate } from './auth.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { requestLogger } from './logger.js';
import { citesRoutes } from '../cites/cites.routes.js';
import { contractorsRoutes } from '../contractors/contractors.routes.js';
import { marchesRoutes } from '../marches/marches.routes.js';
import { participantsRoutes } from '../participants/participants.routes.js';
import { contractsRoutes } from '../contracts/contracts.routes.js';
import { hoursRoutes } from '../hours/hours.routes.js';
import { progressRoutes } from '../reports/progress.routes.js';
import { reportsRoutes } from '../reports/reports.routes.js';
import { outcomeRoutes } from '../contracts/outcome.routes.js';
import { importsRoutes } from '../imports/imports.routes.js';
import { exportsRoutes } from '../exports/exports.routes.js';
import { attestationsRoutes } from '../attestations/attestations.routes.js';
import { verifyPageRoutes } from '../attestations/verify.page.js';
import { dashboardRoutes } from '../dashboard/dashboard.page.js';
import { accountsRoutes } from '../accounts/accounts.routes.js';
import { auditRoutes } from '../audit/audit.routes.js';
import { webRoutes } from '../web/web.routes.js';

/** Feature routers mounted under /api/v1. Add a feature here. */
const apiFeatures = [
  citesRoutes,
  contractorsRoutes,
  marchesRoutes,
  participantsRoutes,
  contractsRoutes,
  hoursRoutes,
  progressRoutes,
  reportsRoutes,
  outcomeRoutes,
  attestationsRoutes,
  importsRoutes,
  exportsRoutes,
  accountsRoutes,
  auditRoutes,
];

export function createApp(ctx: AppContext) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(requestLogger(ctx.logger));

  app.get('/healthz', async (_req, res) => {
    await ctx.db.raw('select 1');
    res.json({ status: 'ok' });
  });

  const api = Router();
  api.use(express.json({ limit: '1mb' }));
  api.use(authenticate(ctx));
  for (const feature of apiFeatures) api.use(feature(ctx));
  app.use('/api/v1', api);
  app.use(verifyPageRoutes(ctx));
  app.use(dashboardRoutes(ctx));
  app.use(webRoutes(ctx));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
