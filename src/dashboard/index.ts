import type { Feature } from '../feature.js';
import { dashboardRoutes } from './dashboard.page.js';

/** The public dashboard, /tableau-de-bord. */
export const dashboard: Feature = { name: 'dashboard', pages: dashboardRoutes };
