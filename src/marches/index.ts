import type { Feature } from '../feature.js';
import { marchesRoutes } from './marches.routes.js';

export const marches: Feature = { name: 'marches', api: marchesRoutes };
