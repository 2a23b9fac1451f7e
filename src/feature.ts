import type { Router } from 'express';
import type { Knex } from 'knex';
import type { AppContext } from './context.js';

/** A schema migration, run unchanged on SQLite and PostgreSQL. */
export interface Migration {
  up(k: Knex): Promise<void>;
  down(k: Knex): Promise<void>;
}

/** A command of `npm run cli`: gets its own arguments, returns the exit code. */
export interface CliCommand {
  summary: string;
  run(ctx: AppContext, args: string[]): Promise<number>;
}

/**
 * What one feature brings, in one place: its JSON routes (mounted under /api/v1 behind bearer
 * authentication), its web pages (mounted at the root), its command-line commands (loaded
 * lazily so that `npm run cli` starts fast) and its migrations (named `NNN_name`, run in
 * name order across every feature). `src/features.ts` lists the features.
 */
export interface Feature {
  name: string;
  api?: (ctx: AppContext) => Router;
  pages?: (ctx: AppContext) => Router;
  commands?: Record<string, { summary: string; load: () => Promise<{ default: CliCommand }> }>;
  migrations?: Record<string, Migration>;
}
