import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import pino from 'pino';
import { createDb } from '../src/db/knex.js';
import { prepareDatabase } from '../src/migrate.js';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import command, { lastPhases } from '../src/imports/import.command.js';

// `npm run bench -- import [--rows N]`: generates a realistic hours file (default 1 000 000
// rows ≈ 8 000 contracts × 125 months), imports it with --apply through the real CLI code
// path on a fresh SQLite file, and compares with a raw baseline measured in the same run:
// a bare better-sqlite3 batch insert of the same entries into hour_entries (400 rows per
// statement, one transaction, same pragmas). Writes bench/results/import.json.

const TMP = path.resolve('bench/tmp');
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

async function importWithCli(dbFile: string, marches: string, hours: string) {
  const db = createDb(`file:${dbFile}`);
  await prepareDatabase(db);
  const ctx: AppContext = {
    db,
    clock: () => new Date('2026-11-24T10:00:00Z'),
    config: loadConfig(),
    logger: pino({ level: 'silent' }),
  };
  const log = console.log;
  try {
    if ((await command.run(ctx, ['marches', marches, '--apply'])) !== 0) throw new Error('import des marchés refusé');
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const t0 = performance.now();
    const code = await command.run(ctx, ['hours', hours, '--apply']);
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    if (code !== 0) throw new Error('import des heures refusé');
    const entries = Number((await db('hour_entries').count({ n: '*' }).first())?.n);
    const phases = Object.fromEntries(
      lastPhases.slice(0, -1).map((p, i) => [p.label, +((lastPhases[i + 1].at - p.at) / 1000).toFixed(2)]),
    );
    return { seconds, entries, sampledPeakRssMb: peak / 1048576, phases };
  } finally {
    console.log = log;
    await db.destroy();
  }
}

/** The raw baseline: the same entries, bare better-sqlite3, 400 rows per statement. */
async function baseline(dbFile: string, p: Plan) {
  const db0 = createDb(`file:${dbFile}`);
  await prepareDatabase(db0);
  await db0.destroy();
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = OFF'); // bare insert: no contracts behind the ids
  const cols = '(contract_id, month, centihours, kind, import_id, posted_by, created_at)';
  const one = '(?,?,?,?,?,?,?)';
  const stmt400 = db.prepare(`insert into hour_entries ${cols} values ${new Array(400).fill(one).join(',')}`);
  const at = '2026-11-24T10:00:00.000Z';
  const rows: Array<[number, string, number]> = [];
  for (const r of hoursLines(p)) if (r.centihours !== 0) rows.push([r.contract + 1, r.month, r.centihours]);
  const t0 = performance.now();
  db.transaction(() => {
    let i = 0;
    for (; i + 400 <= rows.length; i += 400) {
      const v: unknown[] = [];
      for (let k = i; k < i + 400; k++) v.push(rows[k][0], rows[k][1], rows[k][2], 'entry', 1, 1, at);
      stmt400.run(v);
    }
    const one1 = db.prepare(`insert into hour_entries ${cols} values ${one}`);
    for (; i < rows.length; i++) one1.run(rows[i][0], rows[i][1], rows[i][2], 'entry', 1, 1, at);
  })();
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return { seconds, entries: rows.length };
}

export async function run(args: string[]): Promise<void> {
  const i = args.indexOf('--rows');
  const rows = i >= 0 ? Number(args[i + 1]) : 1_000_000;
  if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows attend un entier positif');
  const p: Plan = {
    rows,
    contracts: Math.ceil(rows / MONTHS_PER_CONTRACT),
    marches: Math.max(1, Math.min(200, Math.ceil(rows / 5000))),
  };
  fs.mkdirSync(TMP, { recursive: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  const hoursCsv = path.join(TMP, `import-hours-${rows}.csv`);
  const marchesCsv = path.join(TMP, `import-marches-${rows}.csv`);
  const tg = performance.now();
  await generate(p, hoursCsv);
  marchesFile(p, marchesCsv);
  console.log(
    `Fichier généré : ${hoursCsv} (${(fs.statSync(hoursCsv).size / 1048576).toFixed(0)} Mo) en ${((performance.now() - tg) / 1000).toFixed(1)} s`,
  );

  const imp = await importWithCli(freshFile('import.db'), marchesCsv, hoursCsv);
  const maxRssMb = process.resourceUsage().maxRSS / 1024; // before the baseline holds its rows
  const base = await baseline(freshFile('import-baseline.db'), p);
  const result = {
    bench: 'import',
    engine: 'sqlite',
    rows,
    contracts: p.contracts,
    fileBytes: fs.statSync(hoursCsv).size,
    import: {
      seconds: +imp.seconds.toFixed(2),
      entries: imp.entries,
      rowsPerSecond: Math.round(rows / imp.seconds),
      phasesSeconds: imp.phases,
    },
    baseline: {
      seconds: +base.seconds.toFixed(2),
      entries: base.entries,
      rowsPerSecond: Math.round(base.entries / base.seconds),
      what: 'bare better-sqlite3, 400 rows per insert, one transaction',
    },
    ratio: +(rows / imp.seconds / (base.entries / base.seconds)).toFixed(3),
    peakRssMb: { maxRss: Math.round(maxRssMb), sampledDuringImport: Math.round(imp.sampledPeakRssMb) },
    goals: { ratio: 0.5, peakRssMb: 300 },
    node: process.version,
    at: new Date().toISOString(),
  };
  fs.writeFileSync(path.join(RESULTS, 'import.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
}
