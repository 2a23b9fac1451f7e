import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { CliCommand } from '../feature.js';
import type { AppContext } from '../context.js';
import { cliActor } from '../accounts/system.js';
import { AppError } from '../core/errors.js';
import type { Actor } from '../accounts/actor.js';
import { importHours } from './hours.service.js';
import { importMarches } from './marches.service.js';
import type { ImportOutcome, ImportSource } from './imports.service.js';
import { isXlsxBytes } from './read.js';

// `npm run cli -- import marches|hours FICHIER [--apply] [--as ID_COMPTE]` (CSV or XLSX)
// Dry run unless --apply. The file is streamed (never read whole). Without --as, the command
// acts as the system account « Ligne de commande » (role admin, no token, created on first
// use) so that the audit log and the import records name who wrote; with --as it acts as
// that account, with its scope (a facilitator imports only into its structure's cités).

const nf = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const n = (v: number) => nf.format(v);

/** The command's actor (docs/accounts.md); a bad `--as` is a usage error (exit 2). */
async function actorFor(ctx: AppContext, as: string | undefined): Promise<Actor | string> {
  try {
    return await cliActor(ctx, as);
  } catch (e) {
    if (e instanceof AppError) return e.message;
    throw e;
  }
}

export function summaryTable(kind: string, out: ImportOutcome, elapsedMs: number): string {
  const r = out.result;
  const lines: Array<[string, string]> = [
    ['Lignes lues', n(r.rows)],
    ['Créées', n(r.created)],
    ['Modifiées', n(r.updated)],
    ['Inchangées', n(r.unchanged)],
  ];
  lines.unshift([
    'Format',
    r.format === 'xlsx'
      ? 'classeur XLSX'
      : `CSV ${r.encoding === 'utf-8' ? 'UTF-8' : r.encoding === 'windows-1252' ? 'Windows-1252' : 'illisible'}`,
  ]);
  if (r.twoDigitYears) lines.push(['Années à deux chiffres', n(r.twoDigitYears)]);
  if (r.hoursAdded !== undefined) lines.push(['Heures ajoutées', `${r.hoursAdded > 0 ? '+' : ''}${n(r.hoursAdded)} h`]);
  lines.push(['Erreurs', n(out.errorCount)], ['Durée', `${n(Math.round(elapsedMs / 100) / 10)} s`]);
  const w = Math.max(...lines.map(([k]) => k.length));
  const v = Math.max(...lines.map(([, x]) => x.length));
  const mode = out.errorCount
    ? 'refusé : rien n’est écrit'
    : r.dryRun
      ? 'simulation : rien n’est écrit'
      : `appliqué (import n° ${out.importId})`;
  return [
    `Import ${kind === 'hours' ? 'des heures' : 'des marchés'} — ${mode}`,
    `┌${'─'.repeat(w + 2)}┬${'─'.repeat(v + 2)}┐`,
    ...lines.map(([k, x]) => `│ ${k.padEnd(w)} │ ${x.padStart(v)} │`),
    `└${'─'.repeat(w + 2)}┴${'─'.repeat(v + 2)}┘`,
  ].join('\n');
}

/** When each phase of the last run began (the benchmark reports where the time goes). */
export const lastPhases: Array<{ label: string; at: number }> = [];

const USAGE = 'Usage : npm run cli -- import marches|hours FICHIER.csv|FICHIER.xlsx [--apply] [--as ID_COMPTE]';

/**
 * The file's name and its first bytes must agree on a workbook: a « .xlsx » that is not a zip
 * archive (a CSV renamed, an old .xls) is refused here with a clear message. The reader itself
 * recognises a workbook by its bytes whatever the name.
 */
function workbookMismatch(file: string): string | null {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.xlsx' && ext !== '.xlsm' && ext !== '.xls') return null;
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(4);
  try {
    fs.readSync(fd, head, 0, 4, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (isXlsxBytes(head)) return null;
  return ext === '.xls'
    ? `${path.basename(file)} : classeur Excel 97-2003 (.xls), qui n’est pas lu ; enregistrez-le en .xlsx ou en CSV.`
    : `${path.basename(file)} n’est pas un classeur .xlsx (son contenu n’en a pas le format) ; enregistrez-le de nouveau depuis votre tableur.`;
}

const command: CliCommand = {
  summary: 'Importe un fichier CSV ou XLSX de marchés ou d’heures (simulation sauf --apply)',
  async run(ctx, args) {
    const apply = args.includes('--apply');
    const asIdx = args.indexOf('--as');
    const as = asIdx >= 0 ? args[asIdx + 1] : undefined;
    const positional = args.filter((a, i) => !a.startsWith('--') && (asIdx < 0 || i !== asIdx + 1));
    const [kind, file] = positional;
    if ((kind !== 'marches' && kind !== 'hours') || !file) {
      console.error(USAGE);
      return 2;
    }
    if (!fs.existsSync(file)) {
      console.error(`Fichier introuvable : ${file}`);
      return 2;
    }
    const wrongKind = workbookMismatch(file);
    if (wrongKind) {
      console.error(wrongKind);
      return 1;
    }
    const actor = await actorFor(ctx, as);
    if (typeof actor === 'string') {
      console.error(actor);
      return 2;
    }
    const size = fs.statSync(file).size;
    const bar = process.stdout.isTTY
      ? new cliProgress.SingleBar(
          { format: 'Lecture {bar} {percentage} % | {mo} / {total_mo} Mo', hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : null;
    const mo = (b: number) => (b / 1048576).toFixed(1).replace('.', ',');
    let read = 0;
    bar?.start(size, 0, { mo: mo(0), total_mo: mo(size) });
    const source: ImportSource = {
      stream: fs.createReadStream(file, { highWaterMark: 1 << 20 }),
      fileName: path.basename(file),
      via: 'cli',
      onBytes: (b) => {
        read += b;
        bar?.update(read, { mo: mo(read) });
      },
      onPhase: (label) => {
        lastPhases.push({ label, at: performance.now() });
        bar?.stop();
        if (process.stdout.isTTY) console.log(`${label}…`);
      },
    };
    const t0 = Date.now();
    lastPhases.length = 0;
    lastPhases.push({ label: 'Lecture', at: performance.now() });
    let out: ImportOutcome;
    try {
      out = await (kind === 'hours' ? importHours : importMarches)(ctx, actor, source, { dryRun: !apply });
    } finally {
      bar?.stop();
    }
    lastPhases.push({ label: 'Fin', at: performance.now() });
    console.log(summaryTable(kind, out, Date.now() - t0));
    if (out.result.errors.length) {
      console.log('\nErreurs :');
      for (const e of out.result.errors.slice(0, 50))
        console.log(`  ligne ${e.line}${e.column ? `, colonne ${e.column}` : ''} : ${e.message}`);
      if (out.result.errors.length > 50)
        console.log(`  … ${n(out.errorCount - 50)} autres (voir l’API pour la liste complète).`);
    } else if (!apply) console.log('\nSimulation : relancez avec --apply pour écrire.');
    return out.errorCount ? 1 : 0;
  },
};
export default command;
