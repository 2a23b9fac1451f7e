// `npm run bench -- <name>`: each benchmark writes its JSON to bench/results/.
const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  import: () => import('./import.js'),
  attestations: () => import('./attestations.js'),
  reports: () => import('./reports.js'),
  auth: () => import('./auth.js'),
  lists: () => import('./lists.js'),
  'hours-post': () => import('./hours-post.js'),
  startup: () => import('./startup.js'),
};

const [name, ...args] = process.argv.slice(2);
const names = name ? [name] : Object.keys(benches);
for (const n of names) {
  const load = benches[n];
  if (!load) {
    console.error(`Benchmark inconnu : ${n} (disponibles : ${Object.keys(benches).join(', ')})`);
    process.exit(2);
  }
  await (await load()).run(args);
}
