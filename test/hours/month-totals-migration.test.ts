import { afterEach, describe, expect, it } from 'vitest';
import { emptyDb, type TestDb } from '../helpers/db.js';
import { migrateLatest } from '../../src/migrate.js';
import * as m017 from '../../db/migrations/017_contract_months_without_rowid.js';

// SQLite keeps the month totals in a table WITHOUT ROWID (PostgreSQL: nothing to change). A
// database made before keeps every total across the change, both ways.

const tableSql = async (t: TestDb) =>
  String(
    (
      (await t.db.raw("select sql from sqlite_master where type = 'table' and name = 'contract_months'")) as Array<{
        sql: string;
      }>
    )[0].sql,
  );
const totals = (t: TestDb) => t.db('contract_months').orderBy(['contract_id', 'month']).select();

describe('migration 017_contract_months_without_rowid [sqlite]', () => {
  let t: TestDb;
  afterEach(async () => t?.destroy());

  it('keeps every month total when the table changes, and the upsert by key still adds', async () => {
    t = await emptyDb('sqlite');
    await migrateLatest(t.db);
    expect(await tableSql(t)).toMatch(/WITHOUT ROWID/);
    await m017.down(t.db);
    expect(await tableSql(t)).not.toMatch(/WITHOUT ROWID/);
    // Totals as an older database holds them (no contracts behind them: keys are not checked here).
    await t.db.raw('pragma foreign_keys = off');
    const rows = [
      { contract_id: 1, month: '2024-01', centihours: 15167 },
      { contract_id: 1, month: '2024-02', centihours: 0 },
      { contract_id: 2, month: '2023-12', centihours: 700 },
    ];
    await t.db('contract_months').insert(rows);
    await m017.up(t.db);
    expect(await tableSql(t)).toMatch(/WITHOUT ROWID/);
    expect(await totals(t)).toEqual(rows);
    await t.db.raw(
      `insert into contract_months (contract_id, month, centihours) values (1, '2024-01', 33)
       on conflict (contract_id, month) do update set centihours = contract_months.centihours + excluded.centihours`,
    );
    expect((await totals(t))[0].centihours).toBe(15200);
    expect(
      await t.db.raw("select name from sqlite_master where type = 'index' and tbl_name = 'contract_months'"),
    ).toEqual(expect.arrayContaining([{ name: 'contract_months_month_index' }]));
  });
});
