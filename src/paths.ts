import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root (where package.json is), whether the code runs from `src/` through
 * tsx or compiled under `dist/`: templates, fonts and reference data are read from there.
 */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'dist') {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json introuvable au-dessus de src/.');
    dir = up;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot();
export const TEMPLATES_DIR = path.join(PROJECT_ROOT, 'templates');
export const REFERENCE_DATA_DIR = path.join(PROJECT_ROOT, 'db', 'seeds', 'reference');
