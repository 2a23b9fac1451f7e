import type { Feature } from '../feature.js';
import { contractorsRoutes } from './contractors.routes.js';

export const contractors: Feature = { name: 'contractors', api: contractorsRoutes };
