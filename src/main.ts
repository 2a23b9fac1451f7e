import { loadConfig } from './config.js';
import { createDb } from './db/knex.js';
import { prepareDatabase } from './db/migrate.js';
import { createLogger } from './http/logger.js';
import { createApp } from './http/app.js';
import { bootstrapAdmin } from './accounts/bootstrap.js';
import type { AppContext } from './context.js';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const db = createDb(config.DATABASE_URL);
const ctx: AppContext = { db, clock: () => new Date(), config, logger };

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
