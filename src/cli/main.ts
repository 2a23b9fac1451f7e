import { loadConfig } from '../config.js';
import { createDb } from '../db/knex.js';
import { prepareDatabase } from '../db/migrate.js';
import { createLogger } from '../http/logger.js';
import type { AppContext } from '../context.js';
import type { CliCommand } from './command.js';

// `npm run cli -- <command> ...`: each feature registers its commands here.
const commands: Record<string, () => Promise<{ default: CliCommand }>> = {
  import: () => import('../imports/import.command.js'),
  attestations: () => import('../attestations/attestations.command.js'),
  'reports:rebuild': () => import('../reports/rebuild.command.js'),
  accounts: () => import('../accounts/accounts.command.js'),
  participants: () => import('../participants/purge.command.js'),
};

async function usage(): Promise<string> {
  const lines = await Promise.all(
    Object.entries(commands).map(async ([name, load]) => `  ${name.padEnd(16)} ${(await load()).default.summary}`),
  );
  return ['Usage : npm run cli -- <commande> [options]', '', 'Commandes :', ...lines].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name ? commands[name] : undefined;
  if (!load) {
    console.error(name ? `Commande inconnue : ${name}\n\n${await usage()}` : await usage());
    return name ? 2 : 0;
  }
  const config = loadConfig();
  const db = createDb(config.DATABASE_URL);
  const ctx: AppContext = { db, clock: () => new Date(), config, logger: createLogger(process.env.LOG_LEVEL ?? 'warn') };
  try {
    await prepareDatabase(db);
    const cmd = (await load()).default;
    return await cmd.run(ctx, rest);
  } catch (e) {
    const err = e as { message?: string; details?: unknown[] };
    console.error(`Erreur : ${err.message ?? e}`);
    return 1;
  } finally {
    await db.destroy();
  }
}

process.exitCode = await main(process.argv.slice(2));
