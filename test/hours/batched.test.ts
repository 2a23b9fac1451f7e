import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actorFromRow, type Actor } from '../../src/accounts/actor.js';
import { findActiveByTokenHash } from '../../src/accounts/accounts.store.js';
import { hashToken } from '../../src/accounts/tokens.js';
import { postHours } from '../../src/hours/hours.service.js';
import { checkRollups } from '../../src/reports/rollups/index.js';
import { ADMIN_TOKEN, makeTestApp, type TestApp } from '../helpers/app.js';
import { engines } from '../helpers/db.js';
import { seedContract } from '../helpers/fixtures.js';
import { recordSql } from '../helpers/sql-spy.js';

// Hour entries of the API that arrive in the same turn of the event loop form one group of
// the group commit; on PostgreSQL the group is written by one statement (a batch), and run
// entry by entry when that fails. Either way each entry gets the answer it would get alone.

describe.each(engines)('hour entries of one turn [%s]', (engine) => {
  let t: TestApp;
  let admin: Actor;
  let sql: string[];
  beforeEach(async () => {
    t = await makeTestApp(engine, { onDisk: true });
    await seedContract(t, { contract: 'C-1' });
    await seedContract(t, { contract: 'C-2', participant: 'P-2' });
    const row = await findActiveByTokenHash(t.db, hashToken(ADMIN_TOKEN));
    admin = actorFromRow(row!);
    sql = engine === 'postgres' ? recordSql(t.db) : [];
  });
  afterEach(async () => {
    await t.destroy();
  });

  const post = (contractRef: string, month: string, hours: number, key: string) =>
    postHours(t.ctx, admin, { contractRef, month, centihours: hours * 100, idempotencyKey: key });
  const batches = () => sql.filter((s) => s.startsWith('with v (')).length;

  it('answers each entry with its own month total, replays and twins included', async () => {
    const first = await Promise.all([
      post('C-1', '2024-03', 100, 'k1'),
      post('C-1', '2024-03', 50, 'k2'),
      post('C-2', '2024-03', 20, 'k3'),
      post('C-1', '2024-04', 7.5, 'k4'),
    ]);
    expect(first.map((r) => [r.entry.contractRef, r.monthTotalHours, r.replayed])).toEqual([
      ['C-1', 100, false],
      ['C-1', 150, false],
      ['C-2', 20, false],
      ['C-1', 7.5, false],
    ]);
    expect(new Set(first.map((r) => r.entry.id)).size).toBe(4);
    if (engine === 'postgres') expect(batches()).toBe(1);

    // A replay and two twins (one key, one body) among new entries: written once each.
    const second = await Promise.all([
      post('C-1', '2024-03', 100, 'k1'),
      post('C-2', '2024-05', 10, 'k5'),
      post('C-2', '2024-05', 10, 'k5'),
      post('C-2', '2024-03', 1, 'k6'),
    ]);
    expect(second.map((r) => [r.monthTotalHours, r.replayed])).toEqual([
      [150, true],
      [10, false],
      [10, true],
      [21, false],
    ]);
    expect(second[0].entry.id).toBe(first[0].entry.id);
    expect(second[2].entry.id).toBe(second[1].entry.id);
    expect((await checkRollups(t.db)).drifts).toEqual([]);
  });

  it('refuses a broken rule or an unknown contract alone, keeping the others of its turn', async () => {
    await post('C-1', '2024-03', 200, 'k0');
    const r = await Promise.allSettled([
      post('C-2', '2024-03', 5, 'a'),
      post('C-1', '2024-03', 40, 'b'), // 240 h: over the ceiling
      post('C-404', '2024-03', 1, 'c'),
      post('C-2', '2019-01', 1, 'd'), // before the contract
      post('C-1', '2024-03', 35, 'e'), // 235 h: allowed
    ]);
    expect(r.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
    const reason = (i: number) => (r[i] as PromiseRejectedResult).reason;
    expect(reason(1)).toMatchObject({ code: 'month_total_too_high' });
    expect(String(reason(1).message)).toMatch(/235 h/);
    expect(reason(2)).toMatchObject({ kind: 'not_found' });
    expect(reason(3)).toMatchObject({ code: 'month_outside_contract' });
    expect((r[4] as PromiseFulfilledResult<{ monthTotalHours: number }>).value.monthTotalHours).toBe(235);
    const months = await t.db('contract_months').orderBy(['contract_id', 'month']).select('month', 'centihours');
    expect(months).toEqual([
      { month: '2024-03', centihours: 23_500 },
      { month: '2024-03', centihours: 500 },
    ]);
    expect(await t.db('hour_entries').count({ n: '*' })).toEqual([{ n: 3 }]);
    expect((await checkRollups(t.db)).drifts).toEqual([]);
  });
});
