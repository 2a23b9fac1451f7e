import type { CliCommand } from '../../feature.js';
import { rebuildRollups } from './rebuild.store.js';
import { rollupRowCounts } from './rollups.store.js';

const fr = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

// `npm run cli -- reports:rebuild [--apply]`: recomputes the report rollups from the
// contract-month totals. Needed only after facts behind them were changed by hand in the
// database (not through ./grouping.ts), or to repair a drift `reports:check` found. Dry run
// by default.
const command: CliCommand = {
  summary: 'Recalcule les agrégats des rapports (--apply pour écrire)',
  async run(ctx, args) {
    const count = async () => {
      const n = await rollupRowCounts(ctx.db);
      return `${fr.format(n.hours)} lignes d’heures, ${fr.format(n.counts)} lignes de comptages`;
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
