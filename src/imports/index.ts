import type { Feature } from '../feature.js';
import * as m004 from '../../db/migrations/004_imports.js';
import { importsRoutes } from './imports.routes.js';

export const imports: Feature = {
  name: 'imports',
  api: importsRoutes,
  commands: {
    import: {
      summary: 'Importe un fichier CSV ou XLSX de marchés ou d’heures (simulation sauf --apply)',
      load: () => import('./import.command.js'),
    },
  },
  migrations: { '004_imports': m004 },
};
