import { configWarnings } from './config.js';
import { createContext } from './context.js';
import { prepareDatabase } from './db/migrate.js';
import { createApp } from './http/app.js';
import { bootstrapAdmin } from './accounts/bootstrap.js';

const ctx = createContext();
const { config, logger, db } = ctx;

for (const w of configWarnings(config)) logger.warn(w);
await prepareDatabase(db);
await bootstrapAdmin(ctx, config.ADMIN_TOKEN);

const server = createApp(ctx).listen(config.PORT, config.HOST, () => {
  logger.info(`Registre des heures d’insertion : http://${config.HOST}:${config.PORT}`);
});

async function shutdown(signal: string) {
  logger.info({ signal }, 'arrêt');
  server.close();
  await db.destroy();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
