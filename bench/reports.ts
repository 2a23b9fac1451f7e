import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import pino from 'pino';
import { createDb } from '../src/db/knex.js';
import { prepareDatabase } from '../src/migrate.js';
import { loadConfig } from '../src/config.js';
import { createApp } from '../src/server.js';
import { bootstrapAdmin } from '../src/accounts/bootstrap.js';
import { rebuildRollups } from '../src/reports/rollups/index.js';
import { generate, type Shape } from './reports.generate.js';
import { type Figure, fr } from './summary.js';

// `npm run bench -- reports [--entries N] [--keep]`: fills a SQLite file with N hour entries
// (default 10 000 000: 35 cités, ~N/125 contracts, 10 years) by raw inserts, computes the
// rollups set-based, then times /api/v1/progress and three breakdowns through the real app
// over HTTP on 127.0.0.1, next to the naive GROUP BY over the raw entries, in the same run.

const ADMIN = 'bench-admin-token-0123456789abcdef-0123';
const arg = (args: string[], name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}
const ms = (n: number) => Math.round(n * 10) / 10;
const stats = (xs: number[]) => ({ runs: xs.length, p50: ms(quantile(xs, 0.5)), p95: ms(quantile(xs, 0.95)) });

async function time<T>(f: () => Promise<T> | T): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

// The naive answers: GROUP BY over the raw entries (month totals first, then distinct people).
const NAIVE_BASE = `FROM (SELECT contract_id, month, SUM(centihours) AS total FROM hour_entries GROUP BY contract_id, month) t
  JOIN contracts c ON c.id = t.contract_id JOIN marches m ON m.id = c.marche_id JOIN cites ci ON ci.id = m.cite_id
  JOIN epcis e ON e.id = ci.epci_id`;
const NAIVE_FIGURES = `SUM(t.total) AS hours, COUNT(DISTINCT CASE WHEN t.total > 0 THEN c.participant_id END) AS beneficiaries,
  COUNT(DISTINCT CASE WHEN t.total > 0 THEN c.id END) AS contracts`;
const NAIVE = {
  progress: [
    `SELECT ${NAIVE_FIGURES},
       SUM(CASE WHEN c.cat_rsa THEN t.total ELSE 0 END) AS rsa_hours,
       COUNT(DISTINCT CASE WHEN c.cat_rsa AND t.total > 0 THEN c.participant_id END) AS rsa_people,
       SUM(CASE WHEN c.cat_jeune THEN t.total ELSE 0 END) AS jeune_hours,
       COUNT(DISTINCT CASE WHEN c.cat_jeune AND t.total > 0 THEN c.participant_id END) AS jeune_people ${NAIVE_BASE}`,
    `SELECT e.departement_code, ${NAIVE_FIGURES} ${NAIVE_BASE} GROUP BY e.departement_code`,
    `SELECT ci.id, ${NAIVE_FIGURES} ${NAIVE_BASE} GROUP BY ci.id`,
    `SELECT substr(t.month, 1, 4), SUM(t.total) ${NAIVE_BASE} GROUP BY substr(t.month, 1, 4)`,
  ],
  'groupBy=cite': [`SELECT ci.id, ${NAIVE_FIGURES} ${NAIVE_BASE} GROUP BY ci.id`],
  'groupBy=year,departement': [
    `SELECT substr(t.month, 1, 4), e.departement_code, ${NAIVE_FIGURES} ${NAIVE_BASE} GROUP BY substr(t.month, 1, 4), e.departement_code`,
  ],
  'groupBy=contractType&from=2022-01&to=2023-12': [
    `SELECT c.contract_type, ${NAIVE_FIGURES} ${NAIVE_BASE} WHERE t.month BETWEEN '2022-01' AND '2023-12' GROUP BY c.contract_type`,
  ],
} as const;

export async function run(args: string[]): Promise<Figure[]> {
  const shape: Shape = { entries: Number(arg(args, '--entries') ?? 10_000_000), cites: 35, years: 10, seed: 20261124 };
  const runs = Number(arg(args, '--runs') ?? 40);
  const naiveRuns = Number(arg(args, '--naive-runs') ?? 3);
  const file = path.resolve('bench/tmp/reports.db');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const t0 = performance.now();

  const setup = createDb(`file:${file}`);
  await prepareDatabase(setup);
  await setup.destroy();
  const raw = new Database(file);
  const generated = generate(raw, shape, (msg) => console.log(`  ${msg}`));
  raw.close();
  const fillSeconds = (performance.now() - t0) / 1000;

  const db = createDb(`file:${file}`);
  const t1 = performance.now();
  await rebuildRollups(db, (dim) => process.stdout.write(`${dim} `));
  await db.raw('ANALYZE');
  const rollupSeconds = (performance.now() - t1) / 1000;
  console.log(`\n  rollups: ${rollupSeconds.toFixed(1)} s`);

  const config = loadConfig({ ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
  const ctx = { db, clock: () => new Date('2026-11-24T10:00:00Z'), config, logger: pino({ level: 'silent' }) };
  await bootstrapAdmin(ctx, ADMIN);
  const server = createApp(ctx).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  // The naive queries take seconds: keep idle connections open across them.
  server.keepAliveTimeout = 600_000;
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  const get = async (url: string) => {
    const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${ADMIN}` } });
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    return res.json();
  };

  const endpoints: Record<keyof typeof NAIVE, string> = {
    progress: '/progress',
    'groupBy=cite': '/reports/hours?groupBy=cite',
    'groupBy=year,departement': '/reports/hours?groupBy=year,departement',
    'groupBy=contractType&from=2022-01&to=2023-12': '/reports/hours?groupBy=contractType&from=2022-01&to=2023-12',
  };
  const results: Record<string, unknown> = {};
  for (const [name, url] of Object.entries(endpoints) as Array<[keyof typeof NAIVE, string]>) {
    await get(url); // warm-up
    const api: number[] = [];
    for (let i = 0; i < runs; i++) api.push(await time(() => get(url)));
    const naive: number[] = [];
    for (let i = 0; i < naiveRuns; i++)
      naive.push(
        await time(async () => {
          for (const sql of NAIVE[name]) await db.raw(sql);
        }),
      );
    const a = stats(api);
    const n = stats(naive);
    results[name] = { url, api: a, naiveSql: n, speedupP50: Math.round(n.p50 / a.p50) };
    console.log(`  ${url}: p50 ${a.p50} ms, p95 ${a.p95} ms; naive p50 ${n.p50} ms (x${Math.round(n.p50 / a.p50)})`);
  }
  // Extra, for the record: two contract dimensions at once (exact fallback, not a rollup).
  const pair = '/reports/hours?groupBy=cite,category';
  const pairTimes: number[] = [];
  for (let i = 0; i < 3; i++) pairTimes.push(await time(() => get(pair)));
  results[pair] = {
    url: pair,
    api: stats(pairTimes),
    note: 'deux dimensions de contrat : requête exacte sur contract_months',
  };
  const progress = (await get('/progress')) as { realisedHours: number; beneficiaries: number; contracts: number };
  server.close();

  const count = async (t: string) => Number((await db(t).count({ n: '*' }).first())?.n);
  const out = {
    bench: 'reports',
    date: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    shape: { ...shape, ...generated },
    rows: {
      hour_entries: await count('hour_entries'),
      contract_months: await count('contract_months'),
      report_hours: await count('report_hours'),
      report_counts: await count('report_counts'),
    },
    seconds: {
      fill: Math.round(fillSeconds),
      rollups: Math.round(rollupSeconds),
      total: Math.round((performance.now() - t0) / 1000),
    },
    progressFigures: {
      realisedHours: progress.realisedHours,
      beneficiaries: progress.beneficiaries,
      contracts: progress.contracts,
    },
    results,
    goals: {
      progressP50Under50ms: (results.progress as any).api.p50 < 50,
      progressAtLeast50xNaive: (results.progress as any).speedupP50 >= 50,
      breakdownsP95Under200ms: Object.entries(results)
        .filter(([k]) => k.startsWith('groupBy'))
        .every(([, r]: any) => r.api.p95 < 200),
    },
  };
  await db.destroy();
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync('bench/results/reports.json', `${JSON.stringify(out, null, 2)}\n`);
  console.log(JSON.stringify(out.goals), `→ bench/results/reports.json (${out.seconds.total} s)`);
  if (!args.includes('--keep')) for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  const entries = fr(shape.entries);
  const figures: Figure[] = [];
  for (const [name, r] of Object.entries(results) as Array<
    [string, { api: { p50: number; p95: number }; naiveSql?: { p50: number }; speedupP50?: number }]
  >) {
    if (!r.naiveSql || !r.speedupP50) continue;
    const isProgress = name === 'progress';
    figures.push({
      figure: `${isProgress ? '/progress' : `Répartition ${name}`}, ${entries} saisies (p${isProgress ? 50 : 95})`,
      product: fr(isProgress ? r.api.p50 : r.api.p95, 'ms'),
      baseline: `${fr(r.naiveSql.p50, 'ms')} (GROUP BY naïf)`,
      ratio: `×${fr(r.speedupP50)} plus rapide`,
      goal: isProgress ? '< 50 ms, ×50' : '< 200 ms',
      met: isProgress ? r.api.p50 < 50 && r.speedupP50 >= 50 : r.api.p95 < 200,
    });
  }
  return figures;
}
