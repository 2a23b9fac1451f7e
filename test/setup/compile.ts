import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

// Vitest global setup. The tests that run the real server or CLI as child processes start
// them from JavaScript transpiled here, once per run, by esbuild (the transpiler tsx runs on):
// without tsx's loader in each child, a start takes about one second less. The output lies
// under node_modules/ so that packages resolve as from src/; one folder per run, removed at
// the end (and those of runs that died are removed by the next one).

declare module 'vitest' {
  export interface ProvidedContext {
    compiledRoot: string;
  }
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'test-compiled');

type Esbuild = typeof import('esbuild');
const esbuild: Esbuild = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'))('esbuild');

function tsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export default function setup(project: TestProject) {
  fs.mkdirSync(CACHE, { recursive: true });
  for (const name of fs.readdirSync(CACHE))
    if (!alive(Number(name))) fs.rmSync(path.join(CACHE, name), { recursive: true, force: true });
  const out = path.join(CACHE, String(process.pid));
  esbuild.buildSync({
    entryPoints: [...tsFiles(path.join(ROOT, 'src')), ...tsFiles(path.join(ROOT, 'db'))],
    outbase: ROOT,
    outdir: out,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'error',
  });
  project.provide('compiledRoot', out);
  return () => fs.rmSync(out, { recursive: true, force: true });
}
