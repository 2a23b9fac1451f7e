import type { Feature } from '../feature.js';
import * as m006 from '../../db/migrations/006_accounts_web.js';
import * as m008 from '../../db/migrations/008_web_checked_files.js';
import { webRoutes } from './web.routes.js';

/** The browser side: login, sessions and the pages of each role. */
export const web: Feature = {
  name: 'web',
  pages: webRoutes,
  migrations: { '006_accounts_web': m006, '008_web_checked_files': m008 },
};
