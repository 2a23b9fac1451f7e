import type { CliCommand } from '../feature.js';
import { verifyLedger } from './verify.service.js';

const int = (n: number) => n.toLocaleString('fr-FR');

// `npm run cli -- ledger verify`: recomputes month totals and report rollups from the entries
// and reports every drift. Exit 0 when all agree, 1 on any drift.
const command: CliCommand = {
  summary: 'Vérifie le registre : totaux mensuels et agrégats recalculés depuis les lignes (ledger verify)',
  async run(ctx, args) {
    if (args[0] !== 'verify') {
      console.error('Usage : npm run cli -- ledger verify');
      return 2;
    }
    const t0 = Date.now();
    const r = await verifyLedger(ctx.db);
    const took = ((Date.now() - t0) / 1000).toFixed(1).replace('.', ',');
    const what = `${int(r.entries)} lignes d’heures, ${int(r.contractMonths)} mois-contrats`;
    if (!r.problems.length) {
      console.log(`Registre vérifié : ${what} ; totaux mensuels et agrégats conformes, aucun écart (${took} s).`);
      return 0;
    }
    console.error(`Écarts trouvés dans le registre (${what}) :`);
    for (const p of r.problems) console.error(p.startsWith('  ') ? p : `- ${p}`);
    console.error(
      'Les lignes du registre font foi : « npm run cli -- reports:rebuild --apply » recalcule les agrégats ; un total mensuel faux demande une analyse (restauration d’une sauvegarde).',
    );
    return 1;
  },
};
export default command;
