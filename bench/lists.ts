import type { SqlValue } from '../src/db/sql.js';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import type { Actor } from '../src/accounts/actor.js';
import { createDb } from '../src/db/knex.js';
import { insertFlat } from '../src/db/bulk.js';
import { prepareDatabase } from '../src/migrate.js';
import { listContracts } from '../src/contracts/contracts.service.js';
import { pageRequest } from '../src/core/paging.js';
import { type Figure, fr } from './summary.js';

// `npm run bench -- lists [--contracts N]`: a page of 100 contracts (keyset paging, the API's
// GET /contracts) at the start, the middle and the end of a large ledger, next to the same page
// read with OFFSET (what paging by page number costs) in the same run, on a SQLite file.

async function time(n: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - t0) / n;
}

export async function run(args: string[]): Promise<Figure[]> {
  const total = Number(args[args.indexOf('--contracts') + 1]) || 200_000;
  const file = path.resolve('bench/tmp/lists.db');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(file, { force: true });
  const db = createDb(`file:${file}`);
  await prepareDatabase(db);
  const at = new Date().toISOString();
  const pad = (i: number) => String(i).padStart(7, '0');
  await db.transaction(async (trx) => {
    await trx('contractors').insert({ siret: '73282932000074', siren: '732829320', name: 'BTP', created_at: at });
    const cites = (await trx('cites').select('id').orderBy('id').limit(10)).map((r: { id: number }) => r.id);
    for (const [i, cite] of cites.entries())
      await trx('marches').insert({
        ref: `M-${i}`,
        cite_id: cite,
        contractor_id: 1,
        title: 'Lot',
        amount_cents: 1,
        required_centihours: 1,
        start_date: '2024-01-01',
        end_date: '2025-12-31',
        created_at: at,
        updated_at: at,
      });
    const p: SqlValue[] = [];
    const c: SqlValue[] = [];
    for (let i = 0; i < total; i++) {
      p.push(`P-${pad(i)}`, 'Léa', 'Martin', '1990-01-01', 'F', at);
      c.push(
        `C-${pad(i)}`,
        i + 1,
        (i % cites.length) + 1,
        '73282932000074',
        'CDD',
        'DIRECT',
        '2024-02-01',
        '2024-12-31',
        '',
        at,
      );
    }
    await insertFlat(
      trx,
      { head: 'insert into participants (ref, first_name, last_name, birth_date, sex, created_at)', columns: 6 },
      p,
      500,
    );
    await insertFlat(
      trx,
      {
        head: 'insert into contracts (ref, participant_id, marche_id, employer_siret, contract_type, mode, start_date, end_date, categories, created_at)',
        columns: 10,
      },
      c,
      500,
    );
  });
  const ctx: AppContext = {
    db,
    clock: () => new Date('2026-11-24T10:00:00Z'),
    config: loadConfig({} as NodeJS.ProcessEnv),
    logger: pino({ level: 'silent' }),
  };
  const admin: Actor = {
    id: 0,
    name: 'bench',
    role: 'admin',
    structureId: null,
    contractorSiren: null,
    contractorSiret: null,
    departementCode: null,
  };
  const n = 50;
  const positions = { start: 0, middle: Math.floor(total / 2), end: total - 100 };
  const result: Record<string, { keysetMs: number; offsetMs: number; ratio: number }> = {};
  for (const [name, pos] of Object.entries(positions)) {
    const cursor = pos ? [`C-${pad(pos - 1)}`] : null;
    const keyset = await time(n, () => listContracts(ctx, admin, {}, pageRequest({ limit: 100, cursor })));
    const offset = await time(n, () =>
      db('contracts as c')
        .join('marches as m', 'm.id', 'c.marche_id')
        .join('participants as p', 'p.id', 'c.participant_id')
        .join('cites as ci', 'ci.id', 'm.cite_id')
        .select('c.*', 'm.ref as marche_ref', 'p.ref as participant_ref')
        .orderBy('c.ref')
        .limit(100)
        .offset(pos),
    );
    result[name] = { keysetMs: +keyset.toFixed(3), offsetMs: +offset.toFixed(3), ratio: +(keyset / offset).toFixed(2) };
  }
  await db.destroy();
  fs.rmSync(file, { force: true });
  const out = {
    date: new Date().toISOString(),
    engine: 'sqlite (file)',
    contracts: total,
    pageSize: 100,
    n,
    ...result,
  };
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync('bench/results/lists.json', JSON.stringify(out, null, 2) + '\n');
  for (const [name, r] of Object.entries(result))
    console.log(
      `Page de 100 contrats (${name}) sur ${total} : ${r.keysetMs} ms par curseur (référence OFFSET : ${r.offsetMs} ms, ratio ${r.ratio})`,
    );
  const end = result.end;
  return [
    {
      figure: `Page de 100 contrats en fin de liste (${fr(total)} contrats)`,
      product: fr(end.keysetMs, 'ms'),
      baseline: `${fr(end.offsetMs, 'ms')} (OFFSET)`,
      ratio: `×${fr(end.ratio)}`,
      goal: '—',
      met: null,
    },
  ];
}
