import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { cliActor } from '../accounts/system.js';
import type { CliCommand } from '../feature.js';
import type { AppContext } from '../context.js';
import { formatHoursFr } from '../lib/hours.js';
import { normaliseMonth } from '../lib/dates.js';
import { findStructureByCode } from '../structures/structures.store.js';
import { attestationPdf, issueAttestation } from './attestations.service.js';
import { attestedMarcheRefs } from './attestations.store.js';
import { marchesWithRealised } from './facts.store.js';
import type { IssueInput } from './issue.service.js';

// `npm run cli -- attestations issue ...`: issues attestations and writes their PDFs.
// Dry run unless --apply (les-emplois style): it first says what it would issue.

const USAGE = `Usage :
  npm run cli -- attestations issue --kind clause --marche REF [--apply] [--out DIR] [--as ID]
  npm run cli -- attestations issue --kind clause --structure CODE --completed [--apply] [--out DIR] [--as ID]
  npm run cli -- attestations issue --kind participant --participant REF [--apply] [--out DIR] [--as ID]
  npm run cli -- attestations issue --kind rsa --departement 62 --from 2024-01 --to 2024-12 [--apply] [--out DIR] [--as ID]
Options : --out (dossier des PDF, défaut ATTESTATIONS_DIR, soit data/attestations), --as ID (émettre au nom de ce
compte : son nom et sa fonction signent ; sans --as, le compte système « Ligne de commande (système) » émet et
l’équipe du programme ou la structure signe).`;

type Opts = Record<string, string | boolean | undefined>;

async function clauseTargets(ctx: AppContext, o: Opts, structureId: number | undefined) {
  const rows = await marchesWithRealised(ctx.db, { ref: o.marche as string | undefined, structureId });
  if (o.marche && rows.length === 0) throw new Error(`Marché « ${o.marche} » inconnu.`);
  let targets = o.completed ? rows.filter((r) => r.realised >= r.required) : rows;
  let skipped = 0;
  if (!o.marche) {
    // Bulk runs can be repeated: a marché that already has a valid attestation is skipped.
    const done = new Set(await attestedMarcheRefs(ctx.db));
    skipped = targets.filter((r) => done.has(r.ref)).length;
    targets = targets.filter((r) => !done.has(r.ref));
  }
  for (const r of targets) {
    const status = r.realised >= r.required ? 'clause réalisée' : 'clause non réalisée';
    console.log(
      `  ${r.ref} — ${r.cite_name} — ${r.contractor_name} : ${formatHoursFr(r.required)} exigées, ${formatHoursFr(r.realised)} réalisées (${status})`,
    );
  }
  if (skipped) console.log(`  (${skipped} marché(s) ayant déjà une attestation valide : ignorés)`);
  return targets.map((r): IssueInput => ({ kind: 'clause', marcheRef: r.ref }));
}

async function targetsOf(ctx: AppContext, o: Opts, structureId: number | undefined): Promise<IssueInput[]> {
  switch (o.kind) {
    case 'clause':
      if (!o.marche && !(o.structure && o.completed))
        throw new Error('Indiquez --marche REF, ou --structure CODE --completed.');
      return clauseTargets(ctx, o, structureId);
    case 'participant':
      if (!o.participant) throw new Error('Indiquez --participant REF.');
      console.log(`  participant ${o.participant}`);
      return [{ kind: 'participant', participantRef: String(o.participant) }];
    case 'rsa': {
      const from = normaliseMonth(String(o.from ?? ''));
      const to = normaliseMonth(String(o.to ?? ''));
      if (!o.departement || !from || !to)
        throw new Error('Indiquez --departement 59|62, --from aaaa-mm et --to aaaa-mm.');
      console.log(`  Département ${o.departement}, de ${from} à ${to}`);
      return [{ kind: 'rsa', departement: String(o.departement), from, to }];
    }
    default:
      throw new Error('--kind doit valoir clause, participant ou rsa.');
  }
}

const command: CliCommand = {
  summary: 'Émet des attestations PDF (issue --kind clause|participant|rsa ; --apply pour émettre)',
  async run(ctx, args) {
    const [sub, ...rest] = args;
    let o: Opts;
    try {
      o = parseArgs({
        args: rest,
        options: {
          kind: { type: 'string' },
          marche: { type: 'string' },
          structure: { type: 'string' },
          completed: { type: 'boolean' },
          participant: { type: 'string' },
          departement: { type: 'string' },
          from: { type: 'string' },
          to: { type: 'string' },
          apply: { type: 'boolean' },
          out: { type: 'string' },
          as: { type: 'string' },
        },
      }).values;
    } catch (e) {
      console.error(`${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (sub !== 'issue') {
      console.error(USAGE);
      return 2;
    }
    const structure = o.structure ? await findStructureByCode(ctx.db, String(o.structure)) : null;
    if (o.structure && !structure) throw new Error(`Structure « ${o.structure} » inconnue.`);
    const actor = await cliActor(ctx, o.as as string | undefined);

    console.log('Attestations à émettre :');
    const targets = await targetsOf(ctx, o, structure?.id);
    if (targets.length === 0) {
      console.log('Aucune attestation à émettre.');
      return 0;
    }
    if (!o.apply) {
      console.log(
        `Simulation : ${targets.length} attestation(s) seraient émises. Relancez avec --apply pour les émettre.`,
      );
      return 0;
    }
    const out = path.resolve(String(o.out ?? ctx.config.ATTESTATIONS_DIR));
    fs.mkdirSync(out, { recursive: true });
    const bar = new cliProgress.SingleBar(
      { format: 'Émission [{bar}] {value}/{total} {number}', stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    bar.start(targets.length, 0, { number: '' });
    const issued: string[] = [];
    try {
      for (const input of targets) {
        const a = await issueAttestation(ctx, actor, input);
        fs.writeFileSync(path.join(out, `${a.number}.pdf`), await attestationPdf(ctx, actor, a.number));
        issued.push(`  ${a.number}  ${a.verifyUrl}`);
        bar.increment(1, { number: a.number });
      }
    } finally {
      bar.stop();
    }
    console.log(`${issued.length} attestation(s) émise(s), PDF dans ${out} :`);
    for (const line of issued) console.log(line);
    return 0;
  },
};

export default command;
