import fs from 'node:fs';
import path from 'node:path';
import type { CliCommand } from '../feature.js';
import { errors } from '../core/errors.js';
import { backupSqlite, isPostgresUrl, pgDumpArgs, redactUrl, runTool, shellQuote } from './backup.service.js';

const mb = (bytes: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(bytes / 1e6);

// `npm run cli -- backup FICHIER [--force]`: a consistent copy of the database, taken while the
// server runs. SQLite: SQLite's online backup; PostgreSQL: pg_dump in custom format.
const command: CliCommand = {
  summary: 'Sauvegarde la base pendant que le serveur tourne (backup FICHIER [--force])',
  async run(ctx, args) {
    const file = args.find((a) => !a.startsWith('--'));
    if (!file) {
      console.error('Usage : npm run cli -- backup FICHIER [--force]');
      return 2;
    }
    const target = path.resolve(file);
    if (fs.existsSync(target) && !args.includes('--force'))
      throw errors.invalidInput(`Le fichier « ${file} » existe déjà : choisissez un autre nom, ou ajoutez --force.`);
    if (!fs.existsSync(path.dirname(target))) throw errors.invalidInput(`Le dossier de « ${file} » n’existe pas.`);
    const url = ctx.config.DATABASE_URL;
    const t0 = Date.now();
    if (isPostgresUrl(url)) {
      if (fs.existsSync(target)) fs.rmSync(target);
      const r = await runTool('pg_dump', pgDumpArgs(url, target));
      if (!r.found) {
        console.error(
          [
            'pg_dump est introuvable sur cette machine (paquet Debian postgresql-client, de la même version que le ' +
              'serveur ou plus récente).',
            'Commande à lancer :',
            `  pg_dump ${pgDumpArgs(redactUrl(url), target).map(shellQuote).join(' ')}`,
          ].join('\n'),
        );
        return 1;
      }
      if (r.code !== 0) {
        console.error(`Échec de pg_dump :\n${r.stderr.trim()}`);
        return 1;
      }
      console.log(
        `Sauvegarde PostgreSQL écrite : ${target} (${mb(fs.statSync(target).size)} Mo, format personnalisé de ` +
          `pg_dump).`,
      );
    } else {
      if (fs.existsSync(target)) fs.rmSync(target);
      const r = await backupSqlite(ctx.db, target);
      console.log(
        `Sauvegarde SQLite écrite : ${target} (${mb(r.bytes)} Mo, ${r.entries.toLocaleString('fr-FR')} lignes ` +
          `d’heures, intégrité vérifiée).`,
      );
    }
    console.log(
      `Durée : ${((Date.now() - t0) / 1000).toFixed(1).replace('.', ',')} s. Restauration : npm run cli -- restore ` +
        `${file}`,
    );
    return 0;
  },
};
export default command;
