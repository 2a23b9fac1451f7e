import express, { Router } from 'express';
import helmet from 'helmet';
import type { AppContext } from './context.js';
import { features } from './features.js';
import { ping } from './db/sql.js';
import { authenticate } from './http/auth.js';
import { boundary, checkJsonBody } from './http/boundary.js';
import { noStoreWhenAuthenticated } from './http/cache.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { requestLogger } from './http/logger.js';
import { pageErrorHandler, pageNotFound } from './web/errors.page.js';

/** The HTTP server: every feature's API under /api/v1 (bearer tokens), its pages at the root. */
export function createApp(ctx: AppContext) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(requestLogger(ctx.logger));
  app.use(boundary);
  app.use(noStoreWhenAuthenticated);

  app.get('/healthz', async (_req, res) => {
    await ping(ctx.db);
    res.json({ status: 'ok' });
  });

  const api = Router();
  api.use(express.json({ limit: '1mb' }), checkJsonBody);
  api.use(authenticate(ctx));
  for (const f of features) if (f.api) api.use(f.api(ctx));
  app.use('/api/v1', api);
  for (const f of features) if (f.pages) app.use(f.pages(ctx));

  // Outside /api, unknown paths and errors are answered with pages in the site's design.
  app.use(pageNotFound);
  app.use(notFoundHandler);
  app.use(pageErrorHandler);
  app.use(errorHandler);
  return app;
}
