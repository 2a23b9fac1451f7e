import type { Feature } from '../feature.js';
import { exportsRoutes } from './exports.routes.js';

export const exports: Feature = { name: 'exports', api: exportsRoutes };
