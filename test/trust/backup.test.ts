import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract } from '../helpers/fixtures.js';
import { verifyLedger } from '../../src/operations/verify.service.js';
import { sealLedger } from '../../src/operations/chain.service.js';
import { rebuildRollups } from '../../src/reports/rollups/index.js';
import { tableChecksums, tableNames } from './checksum.js';
import { tempDatabase, tempDir, type TempDatabase } from './databases.js';
import { rng } from './hostile.js';
import { postHoursLoop, seedLedger } from './load.js';
import { runCli, startServer, TRUST_ADMIN_TOKEN } from './server.js';

// Backup while the server writes, restore into a fresh database, and check: the restored
// ledger is a consistent snapshot of the source (every entry identical, totals and rollups
// equal to a recomputation: `ledger verify` clean), and a backup taken at rest restores to
// exactly the same tables. A restore never overwrites a ledger without --force.

async function entries(db: Knex) {
  return (await db('hour_entries').select('id', 'contract_id', 'month', 'centihours', 'idempotency_key')) as Array<{
    id: number;
    contract_id: number;
    month: string;
    centihours: number;
    idempotency_key: string | null;
  }>;
}

describe.each(engines)('backup and restore [%s]', (engine) => {
  const dir = tempDir('ledger-backup-');
  const dbs: TempDatabase[] = [];
  const fresh = async () => {
    const d = await tempDatabase(engine, dir);
    dbs.push(d);
    return d;
  };
  afterAll(async () => {
    for (const d of dbs) await d.drop();
  });

  it('a backup under write load restores to a consistent ledger; at rest, to identical tables', async () => {
    const source = await fresh();
    const server = await startServer(source.url);
    let acked = 0;
    try {
      const contracts = await seedLedger(server.base, TRUST_ADMIN_TOKEN, 8);
      const load = postHoursLoop(() => server.base, TRUST_ADMIN_TOKEN, contracts, rng(7), 4, 'backup');
      while (load.acks.length < 50) await new Promise((ok) => setTimeout(ok, 50));
      const ext = engine === 'sqlite' ? 'db' : 'dump';
      const hot = await runCli(['backup', `${dir}/hot.${ext}`], source.url);
      const duringBackup = load.acks.length;
      await new Promise((ok) => setTimeout(ok, 300));
      await load.stop();
      acked = load.acks.length;
      expect(hot.code, hot.err).toBe(0);
      expect(hot.out).toMatch(/Sauvegarde (SQLite|PostgreSQL) écrite/);
      expect(acked).toBeGreaterThan(duringBackup); // writes went on during and after the backup

      const restored = await fresh();
      const rest = await runCli(['restore', `${dir}/hot.${ext}`], restored.url);
      expect(rest.code, rest.err).toBe(0);
      const verify = await runCli(['ledger', 'verify'], restored.url);
      expect(verify.code, verify.out + verify.err).toBe(0);
      expect(verify.out).toContain('aucun écart');

      const src = new Map((await entries(source.open())).map((e) => [e.id, e]));
      const got = await entries(restored.open());
      expect(got.length).toBeGreaterThan(0);
      expect(got.length).toBeLessThanOrEqual(src.size);
      for (const e of got) expect(src.get(e.id)).toEqual(e); // nothing invented or altered
    } finally {
      await server.stop();
    }

    // At rest: the backup restores to the very same tables (reference data, accounts, ledger).
    const ext = engine === 'sqlite' ? 'db' : 'dump';
    const cold = await runCli(['backup', `${dir}/cold.${ext}`], source.url);
    expect(cold.code, cold.err).toBe(0);
    const copy = await fresh();
    const rest = await runCli(['restore', `${dir}/cold.${ext}`], copy.url);
    expect(rest.code, rest.err).toBe(0);
    const a = source.open();
    const b = copy.open();
    const tables = await tableNames(a);
    expect(await tableNames(b)).toEqual(tables);
    expect(await tableChecksums(b, tables)).toEqual(await tableChecksums(a, tables));
    const total = async (db: Knex) => Number((await db('hour_entries').sum({ s: 'centihours' }).first())?.s);
    expect(await total(b)).toBe(await total(a));
    expect((await entries(b)).length).toBe(acked);

    // Restoring over a database that holds a ledger is refused without --force.
    const refused = await runCli(['restore', `${dir}/cold.${ext}`], source.url);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('n’est pas vide');
    const forced = await runCli(['restore', `${dir}/hot.${ext}`, '--force'], copy.url);
    expect(forced.code, forced.err).toBe(0);
  }, 240_000);
});

describe.each(engines)('ledger verify finds drift [%s]', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(engine);
    await seedContract(t, { categories: ['RSA'], rsaDepartement: '62' });
    await postHours(t, 'C-1', '2024-03', '151,67').expect(201);
    await postHours(t, 'C-1', '2024-04', '20').expect(201);
  });
  afterAll(async () => t?.destroy());

  it('is clean on a ledger kept by the service', async () => {
    const r = await verifyLedger(t.db);
    expect(r.problems).toEqual([]);
    expect(r.entries).toBe(2);
    expect(r.contractMonths).toBe(2);
  });

  it('names the contract and month whose stored total drifted', async () => {
    await t.db('contract_months').where({ month: '2024-03' }).update({ centihours: 15_000 });
    const r = await verifyLedger(t.db);
    expect(r.problems.join('\n')).toContain(
      'Contrat C-1, 03/2024 : les lignes du registre totalisent 151,67 h, le total mensuel enregistré est 150 h.',
    );
    await t.db('contract_months').where({ month: '2024-03' }).update({ centihours: 15_167 });
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });

  it('finds a rollup that differs from a rebuild, without changing the live rollups', async () => {
    const before = await t.db('report_hours').select().orderBy(['dim', 'key', 'month']);
    const row = before.find((r) => Number(r.centihours) === 15_167)!;
    await t.db('report_hours').where({ dim: row.dim, key: row.key, month: row.month }).update({ centihours: 99 });
    const r = await verifyLedger(t.db);
    expect(r.problems.join('\n')).toMatch(/Agrégats des rapports \(heures\) : 2 ligne\(s\) diffèrent/);
    const after = await t.db('report_hours').select().orderBy(['dim', 'key', 'month']);
    expect(after.length).toBe(before.length); // verify wrote nothing
    await t.db('report_hours').where({ dim: row.dim, key: row.key, month: row.month }).update({ centihours: 15_167 });
    expect((await verifyLedger(t.db)).problems).toEqual([]);
  });

  it('seals the ledger, then finds a sealed entry changed behind the application (totals made to agree)', async () => {
    const first = await sealLedger(t.db, '2026-11-24T10:00:00.000Z');
    expect(first).toMatchObject({ sealed: 2, length: 2 });
    await postHours(t, 'C-1', '2024-05', '7').expect(201);
    const clean = await verifyLedger(t.db);
    expect(clean.problems).toEqual([]);
    expect(clean.chain).toEqual({ length: 2, head: first.head, unsealed: 1 });
    expect((await sealLedger(t.db, '2026-11-24T10:00:00.000Z')).sealed).toBe(1);

    // Someone with write access to the database lifts the append-only guard and rewrites an
    // entry, its month total and the rollups, so that every sum agrees again.
    if (engine === 'postgres') await t.db.raw('DROP TRIGGER hour_entries_no_change ON hour_entries');
    else await t.db.raw('DROP TRIGGER hour_entries_no_update');
    const entry = await t.db('hour_entries').where({ month: '2024-04' }).first();
    await t.db('hour_entries').where({ id: entry.id }).update({ centihours: 4000 });
    await t.db('contract_months').where({ month: '2024-04' }).update({ centihours: 4000 });
    await rebuildRollups(t.db);
    const r = await verifyLedger(t.db);
    expect(r.problems).toEqual([
      `Chaîne d’empreintes : la ligne n° ${entry.id} (maillon 2) ne correspond plus à son empreinte (modifiée après scellement, ou maillon altéré).`,
    ]);
  });
});
