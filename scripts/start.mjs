// `npm start`: runs the compiled server (dist/), compiling first only when a source file is newer
// than the last build, so that starting takes well under a second on an unchanged checkout.
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
  console.error('Compilation (src → dist)…');
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  } catch {
    // Type errors still emit JavaScript: start anyway, `npm run typecheck` tells what is wrong.
    console.error('Avertissement : erreurs de typage (npm run typecheck) ; démarrage quand même.');
  }
  if (fs.existsSync(stamp)) fs.utimesSync(stamp, new Date(), new Date());
}
await import(path.join(root, 'dist', 'src', 'main.js'));
