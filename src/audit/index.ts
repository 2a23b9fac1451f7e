import type { Feature } from '../feature.js';
import { auditRoutes } from './audit.routes.js';

export const audit: Feature = { name: 'audit', api: auditRoutes };
