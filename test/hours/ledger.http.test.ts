import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, rowCounts, seedContract } from '../helpers/fixtures.js';

describe.each(engines)('hours ledger over HTTP [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
  });
  afterEach(async () => {
    await t.destroy();
  });

  it('posts hours and shows them in the ledger and in progress', async () => {
    await seedContract(t, { categories: ['RSA'], rsaDepartement: '62' });
    const r = await postHours(t, 'C-1', '03/2024', '151,67').expect(201);
    expect(r.body.entry).toMatchObject({ month: '2024-03', hours: 151.67, kind: 'entry' });
    const ledger = await t.http.get('/api/v1/contracts/C-1/hours').set('Authorization', t.admin).expect(200);
    expect(ledger.body.totalHours).toBe(151.67);
    const p = await t.http.get('/api/v1/progress').expect(200);
    expect(p.body).toMatchObject({
      realisedHours: 151.67,
      beneficiaries: 1,
      contracts: 1,
      rsa: { hours: 151.67, beneficiaries: 1 },
    });
  });

  it('refuses more than two decimals, more than 235 h and months outside the contract, changing nothing', async () => {
    await seedContract(t);
    const before = await rowCounts(t);
    const bad = [
      ['2024-03', '10,123', 400],
      ['2024-03', '235,01', 422],
      ['2024-03', '-1', 400],
      ['2025-01', '10', 422],
      ['2024-01', '10', 422],
      ['2024-13', '10', 400],
    ] as const;
    for (const [month, hours, status] of bad) {
      const r = await postHours(t, 'C-1', month, hours);
      expect(r.status, `${month} ${hours}`).toBe(status);
      expect(r.body.error.message).toMatch(/[a-zé]/);
    }
    expect(await rowCounts(t)).toEqual(before);
  });
});
