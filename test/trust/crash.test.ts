import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { engines } from '../helpers/db.js';
import { strength } from '../helpers/strength.js';
import { csv, HOURS_HEADER, hoursLine } from '../helpers/imports.js';
import { verifyLedger } from '../../src/operations/verify.service.js';
import { tempDatabase, tempDir, type TempDatabase } from './databases.js';
import { rng } from './hostile.js';
import { type Ack, MONTHS, postHoursLoop, seedLedger } from './load.js';
import { spawnEntry, ended, startServer, TRUST_ADMIN_TOKEN, type RunningServer } from './server.js';

// Power-cut behaviour: the real server (a child process) takes hour posts from several
// clients and a large CSV import, and is killed with SIGKILL at seeded random moments, round
// after round; the CLI import is killed the same way. After each kill, on the database as it
// was left: every acknowledged write is there, every import is applied whole or not at all,
// and `ledger verify` is clean (contract-month totals and report rollups equal a recomputation
// from the entries, no contract-month outside 0-235 h).
// Fewer rounds on a local SQLite-only run (test/helpers/strength.ts): each round costs seconds
// of a loaded server; the full count runs in CI.
const SERVER_ROUNDS = strength(4, 2);
const CLI_ROUNDS = strength(3, 2);
const IMPORT_CONTRACTS = 300; // × 12 months = 3 600 rows per server-side import
const CLI_IMPORT_CONTRACTS = 1000; // 12 000 rows

function importFile(prefix: string, contracts: number): string {
  const lines: string[] = [];
  for (let i = 1; i <= contracts; i++)
    for (const m of MONTHS)
      lines.push(
        hoursLine({
          marche: 'M-T',
          contract: `${prefix}-C${i}`,
          participant: `${prefix}-P${i}`,
          start: '01/01/2024',
          end: '31/12/2024',
          month: `${m.slice(5)}/${m.slice(0, 4)}`,
          hours: '10',
        }),
      );
  return csv(HOURS_HEADER, lines);
}

/** Entries and contracts an import (by its ref prefix) left: all of them or none. */
async function importState(db: Knex, prefix: string, contracts: number) {
  const c = await db('contracts').where('ref', 'like', `${prefix}-%`).count({ n: '*' }).first();
  const e = await db('hour_entries as e')
    .join('contracts as c', 'c.id', 'e.contract_id')
    .where('c.ref', 'like', `${prefix}-%`)
    .count({ n: '*' })
    .first();
  const nc = Number(c?.n);
  const ne = Number(e?.n);
  const whole = nc === contracts && ne === contracts * 12;
  const none = nc === 0 && ne === 0;
  return { whole, none, text: `${nc} contrats, ${ne} lignes` };
}

/** Acknowledged posts missing from the ledger (keys are stored as `api:<account>:<key>`). */
async function lostAcks(db: Knex, acks: Ack[]): Promise<string[]> {
  const rows: Array<{ idempotency_key: string; centihours: number }> = await db('hour_entries')
    .whereNotNull('idempotency_key')
    .select('idempotency_key', 'centihours');
  const found = new Map(rows.map((r) => [r.idempotency_key.replace(/^api:\d+:/, ''), Number(r.centihours)]));
  return acks.filter((a) => found.get(a.key) !== a.centihours).map((a) => `${a.key} (${a.contract} ${a.month})`);
}

describe.each(engines)('crash: SIGKILL during writes [%s]', (engine) => {
  const dir = tempDir('ledger-crash-');
  let source: TempDatabase | undefined;
  afterAll(async () => {
    await source?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it(`survives ${SERVER_ROUNDS} server kills and ${CLI_ROUNDS} CLI import kills`, async () => {
    const r = rng(engine === 'sqlite' ? 1401 : 1402);
    source = await tempDatabase(engine, dir);
    const db = source.open();
    const acks: Ack[] = [];
    const problems: string[] = [];
    let server: RunningServer | undefined;
    let contracts: string[] = [];
    let importsApplied = 0;
    let importsAbsent = 0;
    const started = Date.now();

    for (let round = 1; round <= SERVER_ROUNDS; round++) {
      server = await startServer(source.url);
      if (round === 1) contracts = await seedLedger(server.base, TRUST_ADMIN_TOKEN, 8);
      const s = server;
      const load = postHoursLoop(() => s.base, TRUST_ADMIN_TOKEN, contracts, r, 4, `crash${round}`);
      const prefix = `R${round}`;
      let importAcked = false;
      const importDone = fetch(`${s.base}/api/v1/imports/hours?dryRun=false`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TRUST_ADMIN_TOKEN}`, 'content-type': 'text/csv' },
        body: importFile(prefix, IMPORT_CONTRACTS),
      })
        .then((res) => {
          importAcked = res.status === 200;
        })
        .catch(() => undefined);
      await new Promise((ok) => setTimeout(ok, 300 + r.int(5000)));
      server.child.kill('SIGKILL');
      await server.exited;
      await load.stop();
      await importDone;
      acks.push(...load.acks);

      const state = await importState(db, prefix, IMPORT_CONTRACTS);
      if (!state.whole && !state.none) problems.push(`round ${round}: import à moitié appliqué (${state.text})`);
      if (importAcked && !state.whole) problems.push(`round ${round}: import acquitté mais absent (${state.text})`);
      if (state.whole) importsApplied++;
      else importsAbsent++;
      const lost = await lostAcks(db, acks);
      if (lost.length)
        problems.push(`round ${round}: ${lost.length} écritures acquittées perdues : ${lost.slice(0, 5)}`);
      const v = await verifyLedger(db);
      if (v.problems.length) problems.push(`round ${round}: ${v.problems.slice(0, 5).join(' | ')}`);
    }

    // The command-line import, killed at random moments. The first round runs to its end and
    // gives the time an import takes here; the next ones are killed at a seeded moment between
    // 30 % and 130 % of it, so that most kills land inside the import however fast it runs.
    const file = `${dir}/heures.csv`;
    let fullRun = 0;
    let cliKilled = 0;
    for (let round = 1; round <= CLI_ROUNDS; round++) {
      const prefix = `K${round}`;
      fs.writeFileSync(file, importFile(prefix, CLI_IMPORT_CONTRACTS));
      const began = Date.now();
      const child = spawnEntry('src/cli/main.ts', ['import', 'hours', file, '--apply'], { DATABASE_URL: source.url });
      const exit = ended(child);
      const first = round === 1;
      const timer = first ? undefined : setTimeout(() => child.kill('SIGKILL'), fullRun * (0.3 + r.next()));
      const e = await exit;
      clearTimeout(timer);
      if (first) fullRun = Date.now() - began;
      if (e.signal === 'SIGKILL') cliKilled++;
      const state = await importState(db, prefix, CLI_IMPORT_CONTRACTS);
      if (!state.whole && !state.none) problems.push(`CLI ${round}: import à moitié appliqué (${state.text})`);
      if (e.code === 0 && !state.whole) problems.push(`CLI ${round}: import terminé (code 0) mais absent`);
      if (first && e.code !== 0)
        problems.push(`CLI ${round}: l’import non interrompu a échoué : ${e.err.slice(0, 300)}`);
      if (state.whole) importsApplied++;
      else importsAbsent++;
      const v = await verifyLedger(db);
      if (v.problems.length) problems.push(`CLI ${round}: ${v.problems.slice(0, 5).join(' | ')}`);
    }
    const lost = await lostAcks(db, acks);
    const over = await db('contract_months').where('centihours', '>', 23_500).count({ n: '*' }).first();

    console.log(
      `crash [${engine}]: ${SERVER_ROUNDS} server rounds killed with SIGKILL + ${CLI_ROUNDS} CLI rounds (${cliKilled} killed before their end), ${acks.length} acknowledged writes, acknowledged writes lost = ${lost.length}, imports whole ${importsApplied} / absent ${importsAbsent} / half 0, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(problems).toEqual([]);
    expect(lost).toEqual([]);
    expect(Number(over?.n)).toBe(0);
    expect(acks.length).toBeGreaterThan(0);
  }, 300_000);
});
