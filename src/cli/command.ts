import type { AppContext } from '../context.js';

/** A command of `npm run cli`: gets its own arguments, returns the exit code. */
export interface CliCommand {
  summary: string;
  run(ctx: AppContext, args: string[]): Promise<number>;
}
