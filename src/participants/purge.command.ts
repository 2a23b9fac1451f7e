import { parseArgs } from 'node:util';
import type { CliCommand } from '../feature.js';
import { formatIntFr } from '../lib/html.js';
import { applyPurge, parseAge, planPurge } from './purge.service.js';
import { cliActor } from '../accounts/system.js';

// `npm run cli -- participants purge [--older-than 5y] [--apply]`: dry run unless --apply.
// Without --older-than, the retention setting RETENTION_YEARS (default 5) applies.
const USAGE = 'Usage : npm run cli -- participants purge [--older-than 5y] [--apply]';

const command: CliCommand = {
  summary: 'participants purge : pseudonymise les participants sans heures depuis la durée de conservation',
  async run(ctx, args) {
    const [sub, ...rest] = args;
    if (sub !== 'purge') {
      console.error(USAGE);
      return 2;
    }
    const { values } = parseArgs({
      args: rest,
      options: { 'older-than': { type: 'string' }, apply: { type: 'boolean', default: false } },
    });
    const months =
      values['older-than'] === undefined ? ctx.config.RETENTION_YEARS * 12 : parseAge(values['older-than']);
    if (!months) {
      console.error(`Durée « ${values['older-than']} » illisible (exemples : 5y, 5ans, 18m).\n${USAGE}`);
      return 2;
    }
    const plan = await planPurge(ctx, months);
    const [y, m] = plan.cutoffMonth.split('-');
    const who =
      `${formatIntFr(plan.refs.length)} participant${plan.refs.length > 1 ? 's' : ''} sans heures depuis ` +
      `${m}/${y}`;
    if (!values.apply) {
      console.log(
        `${who} : leur identité serait remplacée par leur référence (simulation : rien n’est écrit, ajoutez --apply).`,
      );
      for (const ref of plan.refs.slice(0, 20)) console.log(`  ${ref}`);
      if (plan.refs.length > 20) console.log(`  … et ${formatIntFr(plan.refs.length - 20)} autres`);
      return 0;
    }
    // Every command-line write is audited with the command's actor (docs/accounts.md).
    const done = await applyPurge(ctx, plan, await cliActor(ctx, undefined));
    console.log(
      `${who} : ${formatIntFr(done)} pseudonymisé${done > 1 ? 's' : ''} (noms effacés, date de naissance réduite à ` +
        `l’année). Les totaux sont inchangés.`,
    );
    return 0;
  },
};
export default command;
