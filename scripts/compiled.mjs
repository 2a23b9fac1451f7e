// The compiled JavaScript (dist/) that `npm start` and `npm run cli` run: compiled first only
// when a source file is newer than the last build, so that an unchanged checkout starts at once
// (no TypeScript loader: the server is up in well under a second, and the CLI's big imports
// run about a tenth faster without the loader's per-function wrappers).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.tsbuildinfo');

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const sources = Math.max(newestSource(path.join(root, 'src')), newestSource(path.join(root, 'db')));
if (sources > built) {
  // On stderr: a command's output (a CSV, a list) stays clean on stdout.
  console.error('Compilation (src → dist)…');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    // tsc writes its errors to stdout: sent to stderr with the rest.
    execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: ['ignore', 2, 2] });
  } catch {
    // Type errors still emit JavaScript: start anyway, `npm run typecheck` tells what is wrong.
    console.error('Avertissement : erreurs de typage (npm run typecheck) ; démarrage quand même.');
  }
  if (fs.existsSync(stamp)) fs.utimesSync(stamp, new Date(), new Date());
}

/** Runs a compiled module of src/ (e.g. `main.js`, `cli/main.js`). */
export const runCompiled = (entry) => import(path.join(root, 'dist', 'src', entry));
