import { createContext } from '../context.js';
import { prepareDatabase } from '../migrate.js';
import { allCommands } from '../features.js';
import { AppError } from '../core/errors.js';

// `npm run cli -- <command> ...`: the commands are those of the features (src/features.ts).
const commands = allCommands();

/** Exit codes: 0 success, 1 refused (a known error, a rejected file), 2 usage, 3 unexpected. */
export const EXIT = { ok: 0, refused: 1, usage: 2, internal: 3 } as const;

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(16)} ${c.summary}`);
  return ['Usage : npm run cli -- <commande> [options]', '', 'Commandes :', ...lines].join('\n');
}

/** A known error in French, with its details one per line; anything else as an internal error. */
export function describeError(e: unknown): { text: string; code: number } {
  if (e instanceof AppError) {
    const details = e.details.map((d) => {
      const where = [d.line !== undefined ? `ligne ${d.line}` : '', d.column ?? d.path ?? '']
        .filter(Boolean)
        .join(', ');
      return `  - ${where ? `${where} : ` : ''}${d.message}`;
    });
    return { text: [`Erreur : ${e.message}`, ...details].join('\n'), code: EXIT.refused };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { text: `Erreur inattendue : ${message}`, code: EXIT.internal };
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const entry = name ? commands[name] : undefined;
  if (!entry) {
    console.error(name ? `Commande inconnue : ${name}\n\n${usage()}` : usage());
    return name ? EXIT.usage : EXIT.ok;
  }
  const ctx = createContext({ logLevel: process.env.LOG_LEVEL ?? 'warn', checkpointThread: false });
  try {
    await prepareDatabase(ctx.db);
    const cmd = (await entry.load()).default;
    return await cmd.run(ctx, rest);
  } catch (e) {
    const { text, code } = describeError(e);
    console.error(text);
    return code;
  } finally {
    await ctx.db.destroy();
  }
}

// A reader that stops early (`npm run cli -- accounts list | head -3`) closes the pipe: the
// command ends quietly, as Unix tools do, instead of crashing on a write to it (EPIPE).
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
