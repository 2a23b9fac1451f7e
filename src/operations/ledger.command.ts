import type { CliCommand } from '../feature.js';
import { nowIso } from '../context.js';
import { sealLedger } from './chain.service.js';
import { verifyLedger } from './verify.service.js';

const int = (n: number) => n.toLocaleString('fr-FR');

// `npm run cli -- ledger verify`: recomputes month totals, report rollups and the hash chain
// from the entries and reports every drift (exit 0 when all agree, 1 on any drift).
// `npm run cli -- ledger seal`: appends the new entries to the hash chain.
const command: CliCommand = {
  summary: 'Vérifie le registre (ledger verify) ou le scelle dans la chaîne d’empreintes (ledger seal)',
  async run(ctx, args) {
    if (args[0] === 'seal') {
      const r = await sealLedger(ctx.db, nowIso(ctx));
      console.log(
        `Registre scellé : ${int(r.sealed)} nouvelles lignes, chaîne de ${int(r.length)} maillons.\nEmpreinte de ` +
          `tête (maillon ${r.length}) : ${r.head}\nConservez-la hors de la base (journal d’exploitation) : elle ` +
          `prouve la chaîne entière.`,
      );
      return 0;
    }
    if (args[0] !== 'verify') {
      console.error('Usage : npm run cli -- ledger verify | ledger seal');
      return 2;
    }
    const t0 = Date.now();
    const r = await verifyLedger(ctx.db);
    const took = ((Date.now() - t0) / 1000).toFixed(1).replace('.', ',');
    const what = `${int(r.entries)} lignes d’heures, ${int(r.contractMonths)} mois-contrats`;
    console.log(
      r.chain.length
        ? `Chaîne d’empreintes : ${int(r.chain.length)} maillons, tête ${r.chain.head} ; ${int(r.chain.unsealed)} ` +
            `lignes pas encore scellées.`
        : 'Chaîne d’empreintes : aucune ligne scellée (npm run cli -- ledger seal).',
    );
    if (!r.problems.length) {
      console.log(`Registre vérifié : ${what} ; totaux mensuels et agrégats conformes, aucun écart (${took} s).`);
      return 0;
    }
    console.error(`Écarts trouvés dans le registre (${what}) :`);
    for (const p of r.problems) console.error(p.startsWith('  ') ? p : `- ${p}`);
    console.error(
      'Les lignes du registre font foi : « npm run cli -- reports:rebuild --apply » recalcule les agrégats ; un ' +
        'total mensuel faux demande une analyse (restauration d’une sauvegarde).',
    );
    return 1;
  },
};
export default command;
