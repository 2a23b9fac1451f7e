import type { CliCommand } from '../feature.js';
import { rebuildRollups } from './rollups.rebuild.js';

const fr = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

// `npm run cli -- reports:rebuild [--apply]`: recomputes the report rollups from the
// contract-month totals. Needed only when facts behind them change outside the ledger
// (a marché moved to another cité or contractor, a cité to another EPCI...). Dry run by default.
const command: CliCommand = {
  summary: 'Recalcule les agrégats des rapports (--apply pour écrire)',
  async run(ctx, args) {
    const count = async () => {
      const [h, c] = await Promise.all([
        ctx.db('report_hours').count({ n: '*' }).first(),
        ctx.db('report_counts').count({ n: '*' }).first(),
      ]);
      return `${fr.format(Number(h?.n))} lignes d’heures, ${fr.format(Number(c?.n))} lignes de comptages`;
    };
    console.log(`Agrégats actuels : ${await count()}.`);
    if (!args.includes('--apply')) {
      console.log('Simulation : rien n’est écrit. Relancez avec --apply pour recalculer.');
      return 0;
    }
    const t0 = Date.now();
    await rebuildRollups(ctx.db);
    console.log(`Agrégats recalculés en ${fr.format((Date.now() - t0) / 1000)} s : ${await count()}.`);
    return 0;
  },
};
export default command;
