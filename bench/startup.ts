import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Figure, fr, frRatio } from './summary.js';

// Start-up: `npm start` (compiled server, existing database) until GET /healthz answers,
// against a bare Express 5 + better-sqlite3 server doing the same, rounds interleaved.
// Ratio = baseline median / product median (1 = as fast as the bare server).

const ROOT = path.resolve(import.meta.dirname, '..');
const BARE = `
import express from 'express';
import Database from 'better-sqlite3';
const db = new Database(process.env.DB);
const app = express();
app.get('/healthz', (_q, r) => { db.prepare('select 1').get(); r.json({ status: 'ok' }); });
app.listen(Number(process.env.PORT), '127.0.0.1');
`;

async function timeToHealthz(cmd: string, args: string[], env: Record<string, string>, port: number) {
  const t0 = performance.now();
  const child: ChildProcess = spawn(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'silent' },
    stdio: 'ignore',
    detached: true,
  });
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 10));
  }
  const ms = performance.now() - t0;
  process.kill(-(child.pid ?? 0), 'SIGKILL');
  await new Promise((ok) => setTimeout(ok, 200));
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(args: string[]): Promise<Figure[]> {
  const rounds = Number(args[args.indexOf('--rounds') + 1]) || 5;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-start-'));
  const dbFile = path.join(dir, 'ledger.db');
  const bare = path.join(ROOT, 'bench', 'tmp-bare-server.mjs');
  fs.writeFileSync(bare, BARE);
  const env = { DATABASE_URL: `file:${dbFile}` };
  // First start creates the database and compiles if needed: not measured.
  await timeToHealthz('npm', ['start'], env, 3901);
  const product: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < rounds; i++) {
    product.push(await timeToHealthz('npm', ['start'], env, 3902));
    baseline.push(await timeToHealthz(process.execPath, [bare], { DB: dbFile }, 3903));
  }
  fs.rmSync(bare);
  const result = {
    name: 'startup',
    rounds,
    productMedianMs: Math.round(median(product)),
    baselineMedianMs: Math.round(median(baseline)),
    ratio: Number((median(baseline) / median(product)).toFixed(2)),
    goalMs: 1500,
  };
  console.table([result]);
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'startup.json'), `${JSON.stringify(result, null, 2)}\n`);
  return [
    {
      figure: '`npm start` jusqu’à /healthz (base existante)',
      product: fr(result.productMedianMs, 'ms'),
      baseline: `${fr(result.baselineMedianMs, 'ms')} (Express + SQLite nus)`,
      ratio: frRatio(result.ratio),
      goal: '< 1 500 ms',
      met: result.productMedianMs < 1500,
    },
  ];
}
