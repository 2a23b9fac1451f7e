import type { CliCommand } from '../../feature.js';
import { checkRollups } from './check.js';

const fr = new Intl.NumberFormat('fr-FR');
const SHOWN = 20;

// `npm run cli -- reports:check`: compares the report rollups with a rebuild from the
// contract-month totals, without writing. Exit 0 when they agree, 1 on any drift.
const command: CliCommand = {
  summary: 'Compare les agrégats des rapports à un recalcul (code 1 en cas d’écart)',
  async run(ctx) {
    const t0 = Date.now();
    const r = await checkRollups(ctx.db);
    const compared = `${fr.format(r.hoursRows)} lignes d’heures et ${fr.format(r.countRows)} lignes de comptages`;
    if (!r.drifts.length) {
      console.log(`Agrégats conformes au recalcul : ${compared} comparées en ${fr.format(Date.now() - t0)} ms.`);
      return 0;
    }
    console.error(`Écart entre les agrégats et leur recalcul : ${fr.format(r.drifts.length)} ligne(s) (${compared}).`);
    for (const d of r.drifts.slice(0, SHOWN))
      console.error(`  ${d.table} — ${d.row} : tenu ${fr.format(d.kept)}, recalculé ${fr.format(d.rebuilt)}`);
    if (r.drifts.length > SHOWN) console.error(`  … et ${fr.format(r.drifts.length - SHOWN)} autre(s).`);
    console.error('Corrigez avec : npm run cli -- reports:rebuild --apply');
    return 1;
  },
};
export default command;
