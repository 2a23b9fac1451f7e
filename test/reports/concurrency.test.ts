import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { seedContract } from '../helpers/fixtures.js';
import { rebuildRollups } from '../../src/reports/rollups/index.js';
import { breakdown, loadFacts, total } from './oracle.js';

// Concurrent postings for one person on several contracts (real parallel transactions on
// PostgreSQL): every posting succeeds, and the rollups equal the rebuild and the brute force.

describe.each(engines)('rollups under concurrent postings [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
  });
  afterEach(async () => {
    await t.destroy();
  });

  it('keeps exact counts when one participant’s contracts are posted to at once', async () => {
    await seedContract(t, { contract: 'C-1', categories: ['RSA'], rsaDepartement: '62' });
    await seedContract(t, { contract: 'C-2', marche: 'M-2', cite: 'darcy-henin' });
    await seedContract(t, { contract: 'C-3', participant: 'P-2', marche: 'M-3', cite: 'mouchonniere-douai' });
    const months = ['2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07'];
    const posts = ['C-1', 'C-2', 'C-3'].flatMap((c) => months.map((m) => [c, m] as const));
    const res = await Promise.all(
      posts.map(([c, m], i) =>
        t.http
          .post(`/api/v1/contracts/${c}/hours`)
          .set('Authorization', t.admin)
          .set('Idempotency-Key', `par-${i}`)
          .send({ month: m, hours: '10' }),
      ),
    );
    expect(res.map((r) => r.status)).toEqual(posts.map(() => 201));
    // Then, at once, every C-1 month back to zero.
    const fixes = await Promise.all(
      res
        .slice(0, months.length)
        .map((r, i) =>
          t.http
            .post(`/api/v1/hour-entries/${r.body.entry.id}/corrections`)
            .set('Authorization', t.admin)
            .set('Idempotency-Key', `fix-${i}`)
            .send({ hours: 0, reason: 'Mauvais contrat' }),
        ),
    );
    expect(fixes.map((r) => r.status)).toEqual(months.map(() => 201));

    const facts = await loadFacts(t.db);
    const p = (await t.http.get('/api/v1/progress').expect(200)).body;
    const all = total(facts, {});
    expect([Math.round(p.realisedHours * 100), p.beneficiaries, p.contracts, p.rsa.beneficiaries]).toEqual([
      all.hours,
      2,
      2,
      0,
    ]);
    const b = (await t.http.get('/api/v1/reports/hours?groupBy=cite,month').set('Authorization', t.admin).expect(200))
      .body;
    expect(b.rows.length).toBe(breakdown(facts, ['cite', 'month'], {}).length);
    const snapshot = async () => ({
      hours: (await t.db('report_hours').where('centihours', '!=', 0).orderBy(['dim', 'key', 'month'])).map(
        (r: any) => ({ ...r, centihours: Number(r.centihours) }),
      ),
      counts: await t.db('report_counts').where('n', '!=', 0).orderBy(['dim', 'entity', 'key', 'month', 'prev']),
    });
    const incremental = await snapshot();
    await rebuildRollups(t.db);
    expect(await snapshot()).toEqual(incremental);
  });
});
