import { Router } from 'express';
import type { Feature } from '../feature.js';
import * as m005 from '../../db/migrations/005_reports.js';
import { progressRoutes } from './progress.routes.js';
import { reportsRoutes } from './reports.routes.js';

export const reports: Feature = {
  name: 'reports',
  api: (ctx) => Router().use(progressRoutes(ctx), reportsRoutes(ctx)),
  commands: {
    'reports:rebuild': {
      summary: 'Recalcule les agrégats des rapports (--apply pour écrire)',
      load: () => import('./rollups/rebuild.command.js'),
    },
    'reports:check': {
      summary: 'Compare les agrégats des rapports à un recalcul (code 1 en cas d’écart)',
      load: () => import('./rollups/check.command.js'),
    },
  },
  migrations: { '005_reports': m005 },
};
