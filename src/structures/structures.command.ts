import type { CliCommand } from '../feature.js';
import { listStructures } from './structures.service.js';
import { STRUCTURE_KIND_LABELS } from './structures.view.js';

// `npm run cli -- structures`: the structures and their codes, as `accounts create --structure` needs them.
const command: CliCommand = {
  summary: 'structures : liste les structures (PLIE, EPCI en régie) et leurs codes',
  async run(ctx, args) {
    if (args.length) {
      console.error('Usage : npm run cli -- structures');
      return 2;
    }
    const items = await listStructures(ctx.db);
    const width = Math.max(4, ...items.map((s) => s.code.length));
    console.log(`${'Code'.padEnd(width)}  ${'Type'.padEnd(13)}  ${'EPCI'.padEnd(16)}  Nom`);
    for (const s of items)
      console.log(
        `${s.code.padEnd(width)}  ${(STRUCTURE_KIND_LABELS[s.kind] ?? s.kind).padEnd(13)}  ${s.epcis.join(', ').padEnd(16)}  ${s.name}`,
      );
    return 0;
  },
};
export default command;
