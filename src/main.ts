import { configWarnings } from './config.js';
import { createContext } from './context.js';
import { prepareDatabase } from './migrate.js';
import { createApp } from './server.js';
import { bootstrapAdmin } from './accounts/bootstrap.js';

const ctx = createContext();
const { config, logger, db } = ctx;

for (const w of configWarnings(config)) logger.warn(w);
await prepareDatabase(db);
await bootstrapAdmin(ctx, config.ADMIN_TOKEN);

const server = createApp(ctx).listen(config.PORT, config.HOST, () => {
  logger.info(`Registre des heures d’insertion : http://${config.HOST}:${config.PORT}`);
});
// A port already taken (or not allowed) must stop the start-up, not leave a server that
// never listens: say so in French and exit non-zero.
server.on('error', async (err: NodeJS.ErrnoException) => {
  const where = `${config.HOST}:${config.PORT}`;
  const why =
    err.code === 'EADDRINUSE'
      ? `le port ${config.PORT} est déjà utilisé (par une autre instance ?). Choisissez-en un autre avec PORT=…`
      : err.code === 'EACCES'
        ? `accès refusé au port ${config.PORT} (les ports < 1024 demandent des droits). Choisissez-en un autre avec ` +
          `PORT=…`
        : err.code === 'EADDRNOTAVAIL'
          ? `l’adresse ${config.HOST} n’existe pas sur cette machine. Vérifiez HOST.`
          : err.message;
  console.error(`Impossible d’écouter sur ${where} : ${why}`);
  logger.fatal({ err }, 'écoute impossible');
  await db.destroy().catch(() => undefined);
  process.exit(1);
});

async function shutdown(signal: string) {
  logger.info({ signal }, 'arrêt');
  server.close();
  await db.destroy();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
