import { type ForkOptions, fork } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pino from 'pino';
import type { AppContext } from '../src/context.js';
import { type Figure, fr, frRatio } from './summary.js';
import { product } from './product.js';

// `npm run bench -- import [--rows N,M,...] [--no-http]`: generates realistic hours files
// (default 100 000, 1 000 000 and 3 000 000 rows; 1 000 000 ≈ 8 000 contracts × 125 months),
// imports each with --apply through the CLI code path as `npm run cli` runs it (compiled) on a fresh SQLite file, and
// compares with a raw baseline measured in the same run: csv-parse reading the same file and a bare better-sqlite3 batch insert of its entries
// into hour_entries (400 rows per statement, one transaction, same pragmas). Each run is a
// child process: its peak RSS is its own `maxRSS`. Then /healthz is polled while a file of
// up to 150 000 rows (the API's 20 MB) is imported over HTTP. Writes bench/results/import.json.

const TMP = path.resolve('bench/tmp');
const TOKEN = 'bench-admin-token-0123456789abcdef-0123';
const RESULTS = path.resolve('bench/results');
const MONTHS_PER_CONTRACT = 125;
const CITES = [
  'parc-mericourt',
  'croisette-mericourt',
  'genettes-lievin',
  'alouettes-bully',
  'cite-4-lens',
  'declercq-oignies',
  'crombez-noyelles',
];
const SIRETS = ['73282932000074', '54205118000066', '44306184100047'];
const TYPES = ['CDI', 'CDD', 'INTERIM', 'CDDI', 'PRO', 'APPRENTISSAGE'];
const MODES = ['DIRECT', 'ETTI', 'GEIQ', 'SIAE', 'MAD'];
const CATS = ['', 'RSA', 'DELD', 'RSA,QPV', 'RQTH', 'QPV', 'DELD,QPV', 'IAE'];

/** Deterministic pseudo-random numbers (mulberry32), so every run imports the same file. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const monthOf = (i: number) => `${2017 + Math.floor(i / 12)}-${pad((i % 12) + 1)}`;

interface Plan {
  contracts: number;
  rows: number;
  marches: number;
}

/** One contract = rows of consecutive months from 2017-01; hours 0 to 151,67 with cents. */
function* hoursLines(p: Plan): Generator<{ line: string; contract: number; month: string; centihours: number }> {
  const r = rng(42);
  let left = p.rows;
  for (let c = 0; c < p.contracts && left > 0; c++) {
    const n = Math.min(MONTHS_PER_CONTRACT, left);
    left -= n;
    const participant = Math.floor(c * 0.8); // some people hold two contracts
    const pr = rng(participant + 7);
    const birth = `${1960 + Math.floor(pr() * 45)}-${pad(1 + Math.floor(pr() * 12))}-${pad(1 + Math.floor(pr() * 28))}`;
    const sex = pr() < 0.3 ? 'F' : 'M';
    const cats = CATS[c % CATS.length];
    const rsa = cats.includes('RSA') ? (c % 2 ? '62' : '59') : '';
    const fixed = [
      `M-${c % p.marches}`,
      `C-${c}`,
      `P-${participant}`,
      birth,
      sex,
      cats.includes(',') ? `"${cats}"` : cats,
      rsa,
      SIRETS[c % 3],
      TYPES[c % TYPES.length],
      MODES[c % MODES.length],
      '2017-01-01',
      '2027-12-31',
    ].join(';');
    for (let m = 0; m < n; m++) {
      const centihours = Math.floor(r() * 15168);
      const hours = `${Math.floor(centihours / 100)},${pad(centihours % 100)}`;
      yield { line: `${fixed};${monthOf(m)};${hours}`, contract: c, month: monthOf(m), centihours };
    }
  }
}

async function generate(p: Plan, file: string): Promise<void> {
  const out = fs.createWriteStream(file);
  out.write(
    '\uFEFFmarche_ref;contract_ref;participant_ref;birth_date;sex;categories;rsa_departement;employer_siret;contract_type;mode;contract_start;contract_end;month;hours\r\n',
  );
  let buf = '';
  for (const { line } of hoursLines(p)) {
    buf += line + '\r\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}

function marchesFile(p: Plan, file: string): void {
  const lines = [
    'marche_ref;cite_code;title;contractor_siret;contractor_name;amount_eur;required_hours;start_date;end_date',
  ];
  for (let i = 0; i < p.marches; i++)
    lines.push(
      `M-${i};${CITES[i % CITES.length]};Lot ${i};${SIRETS[i % 3]};Entreprise ${i % 3};1000000;5000;2017-01-01;2027-12-31`,
    );
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function freshFile(name: string): string {
  const f = path.join(TMP, name);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(f + suffix, { force: true });
  return f;
}

// Each measured run is a child process of its own, so that `process.resourceUsage().maxRSS`
// (the true peak, not a sample) is the run's alone. Both run plain Node, no TypeScript loader:
// the product as `npm run cli` runs it (./cli.child.mjs), the baseline in ./baseline.child.mjs.
interface ChildResult {
  seconds: number;
  entries: number;
  maxRssMb: number;
  phases?: Record<string, number>;
}

const nodeArgs = () => process.env.BENCH_CHILD_NODE_ARGS?.split(' ').filter(Boolean) ?? []; // e.g. '--cpu-prof'

async function exited(proc: ReturnType<typeof fork>, what: string): Promise<void> {
  const [code] = await once(proc, 'exit');
  if (code) throw new Error(`${what} : code de sortie ${code}`);
}

/** `npm run cli -- import marches …`, then the measured `import hours FILE --apply`, on a fresh SQLite file. */
async function childCli(dbFile: string, marches: string, hours: string): Promise<ChildResult> {
  const env = { ...process.env, DATABASE_URL: `file:${dbFile}`, LOG_LEVEL: 'silent' };
  const quiet: ForkOptions = { env, execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] };
  await exited(fork('bench/cli.child.mjs', ['import', 'marches', marches, '--apply'], quiet), 'import des marchés');
  const resultFile = `${dbFile}.result.json`;
  fs.rmSync(resultFile, { force: true });
  await exited(
    fork('bench/cli.child.mjs', ['import', 'hours', hours, '--apply'], {
      ...quiet,
      env: { ...env, BENCH_RESULT: resultFile },
      execArgv: nodeArgs(),
    }),
    'import des heures',
  );
  const r = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as {
    maxRssMb: number;
    phases: Array<{ label: string; at: number }>;
  };
  const ph = r.phases;
  const db = new Database(dbFile, { readonly: true });
  const entries = Number((db.prepare('select count(*) as n from hour_entries').get() as { n: number }).n);
  db.close();
  return {
    seconds: (ph[ph.length - 1].at - ph[0].at) / 1000,
    entries,
    maxRssMb: r.maxRssMb,
    phases: Object.fromEntries(ph.slice(0, -1).map((p, i) => [p.label, +((ph[i + 1].at - p.at) / 1000).toFixed(2)])),
  };
}

/** The raw baseline (./baseline.child.mjs) on a fresh SQLite file the product's migrations made. */
async function childBaseline(dbFile: string, hours: string): Promise<ChildResult> {
  const { createDb, prepareDatabase } = await product();
  const db0 = createDb(`file:${dbFile}`);
  await prepareDatabase(db0);
  await db0.destroy();
  const proc = fork('bench/baseline.child.mjs', [dbFile, hours], { execArgv: nodeArgs() });
  const [r] = (await Promise.all([once(proc, 'message'), exited(proc, 'référence')]))[0] as [ChildResult];
  return r;
}

async function openCtx(dbFile: string): Promise<AppContext> {
  const { createDb, prepareDatabase, loadConfig } = await product();
  const db = createDb(`file:${dbFile}`);
  await prepareDatabase(db);
  return {
    db,
    clock: () => new Date('2026-11-24T10:00:00Z'),
    config: loadConfig({ ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv),
    logger: pino({ level: 'silent' }),
  };
}

/** Child: the server, for an import over HTTP while /healthz is polled from the parent. */
async function childHttp(dbFile: string, marches: string): Promise<void> {
  const ctx = await openCtx(dbFile);
  const { bootstrapAdmin, createApp, imports } = await product();
  const command = imports.default;
  await bootstrapAdmin(ctx, TOKEN);
  const log = console.log;
  console.log = () => {};
  if ((await command.run(ctx, ['marches', marches, '--apply'])) !== 0) throw new Error('import des marchés refusé');
  console.log = log;
  const server = createApp(ctx).listen(0, '127.0.0.1', () => {
    const a = server.address();
    process.send?.({ port: typeof a === 'object' && a ? a.port : 0 });
  });
  process.on('disconnect', () => {
    server.close();
    void ctx.db.destroy().then(() => process.exit(0));
  });
}

if (process.env.BENCH_IMPORT_CHILD === 'http') await childHttp(process.argv[2], process.argv[3]);

/** Polls /healthz every 20 ms while an HTTP import of `hours` runs; latencies in ms. */
async function healthzDuringImport(marches: string, hours: string) {
  const proc = fork(fileURLToPath(import.meta.url), [freshFile('import-http.db'), marches], {
    // BENCH_CHILD_NODE_ARGS='--cpu-prof' profiles the measured child.
    execArgv: ['--import', 'tsx', ...nodeArgs()],
    env: { ...process.env, BENCH_IMPORT_CHILD: 'http' },
  });
  const port = await new Promise<number>((resolve) => proc.once('message', (m: { port: number }) => resolve(m.port)));
  const base = `http://127.0.0.1:${port}`;
  // The baseline: the same polling for two seconds with no import running.
  const idle: number[] = [];
  for (const until = performance.now() + 2000; performance.now() < until; ) {
    const t0 = performance.now();
    await fetch(`${base}/healthz`).then((r) => r.arrayBuffer());
    idle.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  const lat: number[] = [];
  let running = true;
  const poll = (async () => {
    while (running) {
      const t0 = performance.now();
      await fetch(`${base}/healthz`).then((r) => r.arrayBuffer());
      lat.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/imports/hours?dryRun=false`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
    body: fs.readFileSync(hours),
  });
  const status = res.status;
  await res.arrayBuffer();
  const seconds = (performance.now() - t0) / 1000;
  running = false;
  await poll;
  proc.disconnect();
  const q = (xs: number[], p: number) => {
    const sorted = [...xs].sort((x, y) => x - y);
    return +sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
  };
  return {
    status,
    seconds: +seconds.toFixed(2),
    polls: lat.length,
    p50Ms: q(lat, 0.5),
    p99Ms: q(lat, 0.99),
    maxMs: q(lat, 1),
    idleP99Ms: q(idle, 0.99),
  };
}

export async function run(args: string[]): Promise<Figure[]> {
  if (process.env.BENCH_IMPORT_CHILD) return [];
  const i = args.indexOf('--rows');
  const sizes = (i >= 0 ? args[i + 1] : '100000,1000000,3000000').split(',').map(Number);
  if (!sizes.every((n) => Number.isInteger(n) && n > 0)) throw new Error('--rows attend des entiers positifs');
  fs.mkdirSync(TMP, { recursive: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  const files = async (n: number) => {
    const p: Plan = {
      rows: n,
      contracts: Math.ceil(n / MONTHS_PER_CONTRACT),
      marches: Math.max(1, Math.min(200, Math.ceil(n / 5000))),
    };
    const hoursCsv = path.join(TMP, `import-hours-${n}.csv`);
    const marchesCsv = path.join(TMP, `import-marches-${n}.csv`);
    if (!fs.existsSync(hoursCsv)) await generate(p, hoursCsv);
    marchesFile(p, marchesCsv);
    return { p, hoursCsv, marchesCsv };
  };
  const runs = [];
  for (const rows of sizes) {
    const { p, hoursCsv, marchesCsv } = await files(rows);
    console.log(`Fichier : ${hoursCsv} (${(fs.statSync(hoursCsv).size / 1048576).toFixed(0)} Mo)`);
    const imp = await childCli(freshFile('import.db'), marchesCsv, hoursCsv);
    console.log(`Import : ${imp.seconds.toFixed(1)} s, pic RSS ${imp.maxRssMb} Mio`);
    const base = await childBaseline(freshFile('import-baseline.db'), hoursCsv);
    console.log(`Référence : ${base.seconds.toFixed(1)} s, pic RSS ${base.maxRssMb} Mio`);
    runs.push({
      rows,
      contracts: p.contracts,
      fileBytes: fs.statSync(hoursCsv).size,
      import: {
        seconds: +imp.seconds.toFixed(2),
        entries: imp.entries,
        rowsPerSecond: Math.round(rows / imp.seconds),
        peakRssMb: imp.maxRssMb,
        phasesSeconds: imp.phases,
      },
      baseline: {
        seconds: +base.seconds.toFixed(2),
        entries: base.entries,
        rowsPerSecond: Math.round(rows / base.seconds),
        peakRssMb: base.maxRssMb,
        what: 'csv-parse + bare better-sqlite3, 400 rows per insert, one transaction',
      },
      ratio: +(base.seconds / imp.seconds).toFixed(3),
    });
  }
  const httpRows = Math.min(Math.max(...sizes), 150_000); // the API takes files up to 20 MB
  const small = await files(httpRows);
  const health = args.includes('--no-http') ? null : await healthzDuringImport(small.marchesCsv, small.hoursCsv);
  if (health) console.log(`/healthz pendant un import HTTP de ${httpRows} lignes :`, health);
  const result = {
    bench: 'import',
    engine: 'sqlite',
    runs,
    healthzDuringHttpImport: health && { rows: httpRows, ...health },
    goals: { ratio: 0.5, peakRssMb: 300, healthzP99Ms: 100 },
    node: process.version,
    at: new Date().toISOString(),
  };
  fs.writeFileSync(path.join(RESULTS, 'import.json'), `${JSON.stringify(result, null, 2)}\n`);
  const figures: Figure[] = [];
  for (const r of runs)
    figures.push(
      {
        figure: `Import d'heures, ${fr(r.rows)} lignes (CLI)`,
        product: fr(r.import.rowsPerSecond, 'lignes/s'),
        baseline: `${fr(r.baseline.rowsPerSecond, 'lignes/s')} (csv-parse + insert nu)`,
        ratio: frRatio(r.ratio),
        goal: r.rows === 1_000_000 ? '≥ 0,5' : '—',
        met: r.rows === 1_000_000 ? r.ratio >= 0.5 : null,
      },
      {
        figure: `Pic de mémoire (RSS), import de ${fr(r.rows)} lignes`,
        product: fr(r.import.peakRssMb, 'Mio'),
        baseline: fr(r.baseline.peakRssMb, 'Mio'),
        ratio: `×${fr(+(r.import.peakRssMb / r.baseline.peakRssMb).toFixed(2))}`,
        goal: '< 300 Mio',
        met: r.import.peakRssMb < 300,
      },
    );
  if (health)
    figures.push({
      figure: `/healthz p99 pendant un import HTTP de ${fr(httpRows)} lignes`,
      product: fr(health.p99Ms, 'ms'),
      baseline: `${fr(health.idleP99Ms, 'ms')} (sans import)`,
      ratio: `×${fr(+(health.p99Ms / health.idleP99Ms).toFixed(1))}`,
      goal: '< 100 ms',
      met: health.p99Ms < 100,
    });
  return figures;
}
