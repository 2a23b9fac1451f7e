import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkRollups } from '../../src/reports/rollups/index.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { engines } from '../helpers/db.js';
import { seedContract } from '../helpers/fixtures.js';

// Hour entries that arrive together are written in one transaction (group commit): a work
// that breaks a rule is answered alone, the others are kept, the 235 h rule holds across the
// works of one group, and the rollups stay exact.

describe.each(engines)('hour entries posted at once [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine, { onDisk: true });
    await seedContract(t, { contract: 'C-1' });
    await seedContract(t, { contract: 'C-2', participant: 'P-2' });
  });
  afterEach(async () => {
    await t.destroy();
  });

  const post = (contract: string, month: string, hours: string, key: string) =>
    t.http
      .post(`/api/v1/contracts/${contract}/hours`)
      .set('Authorization', t.admin)
      .set('Idempotency-Key', key)
      .send({ month, hours });

  it('keeps the good ones, refuses the bad ones, and never passes 235 h in a month', async () => {
    const posts: Array<[string, string, string]> = [
      ['C-1', '2024-03', '150'],
      ['C-1', '2024-03', '100'],
      ['C-2', '2024-03', '20'],
      ['C-1', '2024-03', '80'],
      ['C-2', '2019-01', '5'], // before the contract: refused
      ['C-2', '2024-04', '35'],
      ['C-1', '2024-03', '3'],
    ];
    const res = await Promise.all(posts.map(([c, m, h], i) => post(c, m, h, `k-${i}`)));
    const statuses = res.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 422)).toBe(true);
    expect(statuses[4]).toBe(422);
    expect([statuses[2], statuses[5]]).toEqual([201, 201]);

    const accepted = (contract: string, month: string) =>
      posts.reduce((n, [c, m, h], i) => (c === contract && m === month && statuses[i] === 201 ? n + Number(h) : n), 0);
    const ledger = (await t.http.get('/api/v1/contracts/C-1/hours').set('Authorization', t.admin).expect(200)).body;
    const march = ledger.months.find((m: { month: string }) => m.month === '2024-03')?.hours ?? 0;
    expect(march).toBe(accepted('C-1', '2024-03'));
    expect(march).toBeLessThanOrEqual(235);
    // Each refusal of C-1 is the monthly ceiling, with what the month holds.
    for (const [i, r] of res.entries())
      if (r.status === 422 && posts[i][0] === 'C-1') expect(JSON.stringify(r.body)).toMatch(/235/);
    expect((await checkRollups(t.db)).drifts).toEqual([]);
  });
});
