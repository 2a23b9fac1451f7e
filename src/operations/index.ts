import type { Feature } from '../feature.js';
import * as m008 from '../../db/migrations/008_ledger_chain.js';

/** Operations: backups, restores and the integrity check of the ledger (command line only). */
export const operations: Feature = {
  name: 'operations',
  commands: {
    backup: {
      summary: 'Sauvegarde la base pendant que le serveur tourne (backup FICHIER [--force])',
      load: () => import('./backup.command.js'),
    },
    restore: {
      summary: 'Restaure une sauvegarde dans une base vide (restore FICHIER [--force] ; serveur arrêté)',
      load: () => import('./restore.command.js'),
    },
    ledger: {
      summary: 'Vérifie le registre (ledger verify) ou le scelle dans la chaîne d’empreintes (ledger seal)',
      load: () => import('./ledger.command.js'),
    },
  },
  migrations: { '008_ledger_chain': m008 },
};
