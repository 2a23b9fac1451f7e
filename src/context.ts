import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Config } from './config.js';

/** What services need from the outside world; tests give a fixed clock. */
export interface AppContext {
  db: Knex;
  clock: () => Date;
  config: Config;
  logger: Logger;
}

export const nowIso = (ctx: Pick<AppContext, 'clock'>): string => ctx.clock().toISOString();
