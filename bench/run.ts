import { type Figure, printSummary } from './summary.js';

// `npm run bench [-- <name> [options]]`: every benchmark (or one), each against a raw
// baseline measured in the same run; each writes its JSON to bench/results/, and the run ends
// with one table of all the figures (bench/results/summary.json).
const benches: Record<string, () => Promise<{ run(args: string[]): Promise<Figure[]> }>> = {
  'hours-post': () => import('./hours-post.js'),
  import: () => import('./import.js'),
  startup: () => import('./startup.js'),
  reports: () => import('./reports.js'),
  attestations: () => import('./attestations.js'),
  auth: () => import('./auth.js'),
  lists: () => import('./lists.js'),
};

const [name, ...args] = process.argv.slice(2);
const names = name ? [name] : Object.keys(benches);
const startedAt = new Date();
const figures: Figure[] = [];
for (const n of names) {
  const load = benches[n];
  if (!load) {
    console.error(`Benchmark inconnu : ${n} (disponibles : ${Object.keys(benches).join(', ')})`);
    process.exit(2);
  }
  console.log(`\n== ${n}`);
  figures.push(...(await (await load()).run(args)));
}
printSummary(figures, startedAt);
