// The measured run of the import benchmark: `npm run cli -- import …` exactly as people run it
// (Node on the compiled JavaScript, no TypeScript loader), in a process of its own. When the
// command exits, its own peak memory (`maxRSS`, not a sample) and the import's phases are
// written to the file named by BENCH_RESULT, for the parent (./import.ts) to read.
import fs from 'node:fs';
import path from 'node:path';

const out = process.env.BENCH_RESULT;
const started = performance.now();
const { lastPhases } = await import(path.resolve('dist/src/imports/import.command.js'));
process.on('exit', (code) => {
  if (!out) return;
  const phases = lastPhases.map((p) => ({ label: p.label, at: p.at }));
  const result = { code, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), phases, started };
  fs.writeFileSync(out, JSON.stringify(result));
});
await import(path.resolve('scripts/cli.mjs'));
