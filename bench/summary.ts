import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The one table `npm run bench` ends with: every figure next to its raw baseline, measured in
// the same run, their ratio and the goal. Written to bench/results/summary.json as well.

export interface Figure {
  figure: string;
  product: string;
  baseline: string;
  ratio: string;
  goal: string;
  /** Whether the goal is met; null for a figure kept for the record. */
  met: boolean | null;
}

const nf = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });
const nf3 = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 3 });
/** A number the French way (narrow no-break space for thousands, comma for decimals). */
export const fr = (n: number, unit = '') => `${nf.format(n)}${unit ? ` ${unit}` : ''}`;
/** A ratio to three decimals: 0,497 must not read as a goal of 0,5 met. */
export const frRatio = (n: number) => nf3.format(n);

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? '',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
  };
}

export function printSummary(figures: Figure[], startedAt: Date): void {
  const head = ['Mesure', 'Produit', 'Référence (même exécution)', 'Ratio', 'Objectif', 'Atteint'];
  const rows = figures.map((f) => [
    f.figure,
    f.product,
    f.baseline,
    f.ratio,
    f.goal,
    f.met === null ? '—' : f.met ? 'oui' : 'non',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${line(head)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  const m = machine();
  console.log(`\nMachine : ${m.cpus} cœurs (${m.model}), ${m.memoryGiB} Gio, Node ${m.node}, charge ${m.loadAverage}`);
  const dir = path.resolve('bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const out = { startedAt: startedAt.toISOString(), endedAt: new Date().toISOString(), machine: m, figures };
  fs.writeFileSync(path.join(dir, 'summary.json'), `${JSON.stringify(out, null, 2)}\n`);
}
