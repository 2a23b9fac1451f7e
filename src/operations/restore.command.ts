import fs from 'node:fs';
import type { CliCommand } from '../feature.js';
import { errors } from '../core/errors.js';
import {
  isPostgresUrl,
  ledgerRowCount,
  pgRestoreArgs,
  redactUrl,
  restoreSqlite,
  runTool,
  shellQuote,
} from './backup.service.js';
import { dropAllTables } from './restore.store.js';

// `npm run cli -- restore FICHIER [--force]`: puts a backup in place of the database of
// DATABASE_URL. Stop the server first. A database that already holds ledger data (marchés,
// participants, contracts, hours, attestations) is overwritten only with --force.
const command: CliCommand = {
  summary: 'Restaure une sauvegarde (restore FICHIER [--force] ; serveur arrêté)',
  async run(ctx, args) {
    const file = args.find((a) => !a.startsWith('--'));
    if (!file) {
      console.error('Usage : npm run cli -- restore FICHIER [--force]');
      return 2;
    }
    if (!fs.existsSync(file)) throw errors.invalidInput(`Le fichier « ${file} » n’existe pas.`);
    const url = ctx.config.DATABASE_URL;
    const existing = await ledgerRowCount(ctx.db);
    if (existing > 0 && !args.includes('--force')) throw errors.databaseNotEmpty();
    if (isPostgresUrl(url)) {
      const list = await runTool('pg_restore', ['--list', file], { quiet: true });
      if (list.found && list.code !== 0)
        throw errors.invalidInput(`« ${file} » n’est pas une sauvegarde lisible par pg_restore.`);
      if (list.found) await dropAllTables(ctx.db);
      const r = await runTool('pg_restore', pgRestoreArgs(url, file));
      if (!r.found) {
        console.error(
          [
            'pg_restore est introuvable sur cette machine (paquet Debian postgresql-client).',
            'Commande à lancer :',
            `  pg_restore ${pgRestoreArgs(redactUrl(url), file).map(shellQuote).join(' ')}`,
          ].join('\n'),
        );
        return 1;
      }
      if (r.code !== 0) {
        console.error(
          `Échec de pg_restore (la base de destination a été vidée : corrigez la cause, puis relancez) ` +
            `:\n${r.stderr.trim()}`,
        );
        return 1;
      }
      console.log(`Sauvegarde PostgreSQL restaurée dans ${redactUrl(url)}.`);
    } else {
      const entries = await restoreSqlite(ctx.db, url, file);
      console.log(`Sauvegarde SQLite restaurée (${entries.toLocaleString('fr-FR')} lignes d’heures).`);
    }
    console.log('Vérifiez-la : npm run cli -- ledger verify');
    return 0;
  },
};
export default command;
