import type { Knex } from 'knex';
import pino, { type Logger } from 'pino';
import { loadConfig, type Config } from './config.js';
import { createDb } from './db/knex.js';

/** What services need from the outside world; tests give a fixed clock. */
export interface AppContext {
  db: Knex;
  clock: () => Date;
  config: Config;
  logger: Logger;
}

export const nowIso = (ctx: Pick<AppContext, 'clock'>): string => ctx.clock().toISOString();

export function createLogger(level: string): Logger {
  return pino({ level, redact: ['req.headers.authorization', 'req.headers.cookie'] });
}

/**
 * The one context factory: the server (src/main.ts) and the command line (src/cli/main.ts)
 * read the same configuration and open the same database through it.
 */
export function createContext(
  opts: { config?: Config; logLevel?: string; checkpointThread?: boolean } = {},
): AppContext {
  const config = opts.config ?? loadConfig();
  return {
    db: createDb(config.DATABASE_URL, { checkpointThread: opts.checkpointThread }),
    clock: () => new Date(),
    config,
    logger: createLogger(opts.logLevel ?? config.LOG_LEVEL),
  };
}
