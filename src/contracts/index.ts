import type { Feature } from '../feature.js';
import { contractsRoutes } from './contracts.routes.js';
import { outcomeRoutes } from './outcome.routes.js';
import { Router } from 'express';

export const contracts: Feature = {
  name: 'contracts',
  api: (ctx) => Router().use(contractsRoutes(ctx), outcomeRoutes(ctx)),
};
