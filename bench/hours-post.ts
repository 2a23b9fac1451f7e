import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import express from 'express';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import pino from 'pino';
import type { AppContext } from '../src/context.js';
import { type Figure, fr, frRatio } from './summary.js';
import { product as compiledProduct } from './product.js';

// `npm run bench -- hours-post [--seconds 5] [--rounds 3] [--contracts 20000]`: hour entry
// over HTTP (`POST /api/v1/contracts/:ref/hours`, the whole product: auth, validation, rules,
// ledger, totals, rollups, audit) against a bare baseline measured in the same run, rounds
// interleaved: Express 5 + express.json + one prepared insert (better-sqlite3 on SQLite, a
// pg pool of the same size as the product's on PostgreSQL). Each request is a new
// contract-month (what a facilitator's entry is). Load comes from a worker thread, at 50
// connections and at 1. PostgreSQL runs when BENCH_DATABASE_URL (or TEST_DATABASE_URL) is
// set. Request logs are off on both sides. Ratios are of medians; writes
// bench/results/hours-post.json.

const TMP = path.resolve('bench/tmp');
const RESULTS = path.resolve('bench/results');
const TOKEN = 'bench-admin-token-0123456789abcdef-0123';
const AT = '2026-11-24T10:00:00.000Z';

interface Phase {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Requests sent (each used one index, hence one contract-month and one key). */
  sent: number;
}

const arg = (args: string[], name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};

function quantile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function load(
  port: number,
  o: { connections: number; seconds: number; start: number; contracts: number; prefix: string },
): Promise<Phase> {
  const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), {
    workerData: { port, token: TOKEN, ...o },
  });
  const r = await new Promise<{
    sent: number;
    latencies: Float64Array;
    statuses: Record<string, number>;
    errors: number;
  }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  const ok = Object.entries(r.statuses)
    .filter(([s]) => s.startsWith('2'))
    .reduce((n, [, c]) => n + c, 0);
  const sorted = r.latencies.sort();
  return {
    rps: Math.round(ok / o.seconds),
    p50: +quantile(sorted, 0.5).toFixed(2),
    p99: +quantile(sorted, 0.99).toFixed(2),
    non2xx: r.sent - ok + r.errors,
    sent: r.sent,
  };
}

/** Reference data of the product's database: one contractor, 20 marchés, `n` contracts. */
async function seedProduct(db: Knex, n: number) {
  const cites: Array<{ id: number }> = await db('cites').select('id').orderBy('id').limit(20);
  const [contractor] = await db('contractors')
    .insert({ siret: '73282932000074', siren: '732829320', name: 'BTP du Nord', created_at: AT })
    .returning('id');
  const contractorId = typeof contractor === 'object' ? contractor.id : contractor;
  const marches = cites.map((c, i) => ({
    ref: `M-${i}`,
    cite_id: c.id,
    contractor_id: contractorId,
    title: `Lot ${i}`,
    amount_cents: 100_000_000,
    required_centihours: 500_000,
    start_date: '2017-01-01',
    end_date: '2027-12-31',
    created_at: AT,
    updated_at: AT,
  }));
  await db.batchInsert('marches', marches, 100);
  const marcheIds: number[] = (await db('marches').select('id').orderBy('id')).map((r: { id: number }) => r.id);
  const people = [];
  for (let i = 0; i < Math.ceil(n * 0.8); i++)
    people.push({ ref: `P-${i}`, birth_date: `19${60 + (i % 40)}-05-10`, sex: i % 3 ? 'M' : 'F', created_at: AT });
  await db.batchInsert('participants', people, 400);
  const personIds: number[] = (await db('participants').select('id').orderBy('id')).map((r: { id: number }) => r.id);
  const contracts = [];
  for (let i = 0; i < n; i++)
    contracts.push({
      ref: `C-${i}`,
      participant_id: personIds[Math.floor(i * 0.8)],
      marche_id: marcheIds[i % marcheIds.length],
      employer_siret: '73282932000074',
      contract_type: ['CDD', 'CDI', 'INTERIM', 'CDDI'][i % 4],
      mode: ['DIRECT', 'ETTI', 'GEIQ'][i % 3],
      start_date: '2017-01-01',
      end_date: '2027-12-31',
      categories: i % 3 ? '' : 'RSA',
      cat_rsa: i % 3 === 0,
      cat_jeune: false,
      cat_senior: false,
      rsa_departement: i % 3 ? null : '62',
      created_at: AT,
    });
  await db.batchInsert('contracts', contracts, 300);
}

const listen = (app: express.Express): Promise<{ server: Server; port: number }> =>
  new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve({ server, port: typeof a === 'object' && a ? a.port : 0 });
    });
  });

/** The bare baseline: Express 5, express.json, one prepared insert. */
function baselineApp(insert: (v: [string, string, number, string]) => Promise<number>): express.Express {
  const app = express();
  app.use(express.json());
  app.post('/api/v1/contracts/:ref/hours', async (req, res) => {
    const id = await insert([
      req.params.ref,
      req.body.month,
      Math.round(Number(req.body.hours.replace(',', '.')) * 100),
      String(req.get('idempotency-key')),
    ]);
    res.status(201).json({ id });
  });
  return app;
}

const BASE_TABLE = `create table bench_entries (id integer primary key generated by default as identity,
  contract text not null, month text not null, centihours integer not null,
  idempotency_key text unique, created_at text not null)`;

async function runEngine(engine: 'sqlite' | 'postgres', o: { seconds: number; rounds: number; contracts: number }) {
  fs.mkdirSync(TMP, { recursive: true });
  const { createDb, prepareDatabase, loadConfig, bootstrapAdmin, createApp } = await compiledProduct();
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  let schema = '';
  let admin: Knex | null = null;
  let db: Knex;
  if (engine === 'postgres') {
    schema = `bench_${crypto.randomBytes(4).toString('hex')}`;
    admin = knexFactory({ client: 'pg', connection: pgUrl, pool: { min: 0, max: 1 } });
    await admin.raw(`create schema ${schema}`);
    db = createDb(pgUrl ?? '', { schema });
  } else {
    const file = path.join(TMP, 'hours-post.db');
    for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
    db = createDb(`file:${file}`);
  }
  await prepareDatabase(db);
  const ctx: AppContext = {
    db,
    clock: () => new Date(),
    config: loadConfig({ ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv),
    // BENCH_LOG_LEVEL=info: the product writes its request lines (to /dev/null), as a server does by default.
    logger: pino(
      { level: process.env.BENCH_LOG_LEVEL ?? 'silent' },
      pino.destination({ dest: '/dev/null', sync: false }),
    ),
  };
  await bootstrapAdmin(ctx, TOKEN);
  await seedProduct(db, o.contracts);
  const product = await listen(createApp(ctx));

  // Baseline: its own database, same engine and settings.
  let closeBase: () => Promise<void>;
  let insert: (v: [string, string, number, string]) => Promise<number>;
  if (engine === 'postgres') {
    await admin?.raw(`create table ${schema}.bench_entries (id serial primary key, contract text not null,
      month text not null, centihours integer not null, idempotency_key text unique, created_at text not null)`);
    const pool = new pg.Pool({ connectionString: pgUrl, max: 10, options: `-c search_path=${schema}` });
    const sql =
      'insert into bench_entries (contract, month, centihours, idempotency_key, created_at) values ($1, $2, $3, $4, $5) returning id';
    insert = async (v) => (await pool.query(sql, [...v, new Date().toISOString()])).rows[0].id;
    closeBase = () => pool.end();
  } else {
    const file = path.join(TMP, 'hours-post-baseline.db');
    for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
    const bdb = new Database(file);
    bdb.pragma('journal_mode = WAL');
    bdb.pragma('synchronous = NORMAL');
    bdb.exec(BASE_TABLE.replace(' generated by default as identity', ''));
    const stmt = bdb.prepare(
      'insert into bench_entries (contract, month, centihours, idempotency_key, created_at) values (?, ?, ?, ?, ?)',
    );
    insert = async (v) => Number(stmt.run(...v, new Date().toISOString()).lastInsertRowid);
    closeBase = async () => {
      bdb.close();
    };
  }
  const base = await listen(baselineApp(insert));

  const next = { product: 0, baseline: 0 };
  const run = async (who: 'product' | 'baseline', connections: number, seconds: number) => {
    const r = await load(who === 'product' ? product.port : base.port, {
      connections,
      seconds,
      start: next[who],
      contracts: o.contracts,
      prefix: `${who}-${engine}`,
    });
    next[who] += r.sent; // indices used: the next phase posts new contract-months with new keys
    return r;
  };
  await run('product', 50, 1); // warm-up
  if (process.env.BENCH_PRODUCT_ONLY) {
    console.log('[profil]', await run('product', 50, o.seconds));
    process.exit(0);
  }
  await run('baseline', 50, 1);
  const phases: Record<string, Phase[]> = { product50: [], baseline50: [], product1: [], baseline1: [] };
  for (let round = 0; round < o.rounds; round++) {
    phases.product50.push(await run('product', 50, o.seconds));
    phases.baseline50.push(await run('baseline', 50, o.seconds));
    phases.product1.push(await run('product', 1, o.seconds));
    phases.baseline1.push(await run('baseline', 1, o.seconds));
    console.log(
      `[${engine}] tour ${round + 1} : produit ${phases.product50[round].rps} req/s (p99 ${phases.product50[round].p99} ms, ${phases.product50[round].non2xx} non 2xx), référence ${phases.baseline50[round].rps} req/s (p99 ${phases.baseline50[round].p99} ms) ; 1 connexion p99 ${phases.product1[round].p99} ms`,
    );
  }
  product.server.close();
  base.server.close();
  await closeBase();
  await db.destroy();
  if (admin) {
    await admin.raw(`drop schema ${schema} cascade`);
    await admin.destroy();
  }
  const med = (k: string, f: keyof Phase) => median(phases[k].map((p) => p[f]));
  return {
    engine,
    connections50: {
      product: { rps: med('product50', 'rps'), p50: med('product50', 'p50'), p99: med('product50', 'p99') },
      baseline: { rps: med('baseline50', 'rps'), p50: med('baseline50', 'p50'), p99: med('baseline50', 'p99') },
      ratio: +(med('product50', 'rps') / med('baseline50', 'rps')).toFixed(3),
      p99Ratio: +(med('product50', 'p99') / med('baseline50', 'p99')).toFixed(2),
      non2xx: phases.product50.reduce((n, p) => n + p.non2xx, 0),
    },
    connections1: {
      product: { rps: med('product1', 'rps'), p50: med('product1', 'p50'), p99: med('product1', 'p99') },
      baseline: { rps: med('baseline1', 'rps'), p50: med('baseline1', 'p50'), p99: med('baseline1', 'p99') },
    },
    rounds: phases,
  };
}

export async function run(args: string[]): Promise<Figure[]> {
  const o = {
    seconds: arg(args, 'seconds', 5),
    rounds: arg(args, 'rounds', 3),
    contracts: arg(args, 'contracts', 20_000),
  };
  const engines: Array<'sqlite' | 'postgres'> = ['sqlite'];
  if (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL) engines.push('postgres');
  const only = args.indexOf('--engine');
  const selected = only >= 0 ? engines.filter((e) => e === args[only + 1]) : engines;
  const out = [];
  for (const e of selected) out.push(await runEngine(e, o));
  const result = {
    bench: 'hours-post',
    what: 'POST /api/v1/contracts/:ref/hours, each request a new contract-month, vs Express 5 + one prepared insert',
    goals: { ratio: 0.5, p99AtMostTimesBaseline: 2, sqliteP99At1ConnectionMs: 10 },
    ...o,
    engines: out,
    node: process.version,
    at: new Date().toISOString(),
  };
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'hours-post.json'), `${JSON.stringify(result, null, 2)}\n`);
  return out.flatMap((e) => {
    const name = e.engine === 'sqlite' ? 'SQLite' : 'PostgreSQL';
    const c50 = e.connections50;
    const c1 = e.connections1;
    const figures: Figure[] = [
      {
        figure: `Saisie d'heures (POST), ${name}, 50 connexions`,
        product: fr(c50.product.rps, 'req/s'),
        baseline: fr(c50.baseline.rps, 'req/s'),
        ratio: frRatio(c50.ratio),
        goal: '≥ 0,5',
        met: c50.ratio >= 0.5,
      },
      {
        figure: `Saisie d'heures, ${name}, p99 à 50 connexions`,
        product: fr(c50.product.p99, 'ms'),
        baseline: fr(c50.baseline.p99, 'ms'),
        ratio: `×${fr(c50.p99Ratio)}`,
        goal: '≤ ×2',
        met: c50.p99Ratio <= 2,
      },
    ];
    if (e.engine === 'sqlite')
      figures.push({
        figure: "Saisie d'heures, SQLite, p99 à 1 connexion",
        product: fr(c1.product.p99, 'ms'),
        baseline: fr(c1.baseline.p99, 'ms'),
        ratio: `×${fr(+(c1.product.p99 / c1.baseline.p99).toFixed(2))}`,
        goal: '< 10 ms',
        met: c1.product.p99 < 10,
      });
    return figures;
  });
}
