import type { Feature } from '../feature.js';

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
      summary: 'Vérifie le registre : totaux mensuels et agrégats recalculés depuis les lignes (ledger verify)',
      load: () => import('./ledger.command.js'),
    },
  },
};
