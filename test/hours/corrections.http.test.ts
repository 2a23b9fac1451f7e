import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract } from '../helpers/fixtures.js';
import { rebuildRollups } from '../../src/reports/rollups/index.js';

// A line's value is its own amount plus the corrections that refer to it; correcting a line
// to X posts X minus that value, referring to that very line (docs/rules.md).

describe.each(engines)('corrections of corrections [%s]', (engine) => {
  let t: TestApp;
  let seq = 0;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    await seedContract(t, { categories: ['RSA'], rsaDepartement: '62' });
  });
  afterEach(async () => t.destroy());

  const correct = (id: number, hours: string | number, reason = 'Relevé de l’employeur') =>
    t.http
      .post(`/api/v1/hour-entries/${id}/corrections`)
      .set('Authorization', t.admin)
      .set('Idempotency-Key', `fix-${++seq}`)
      .send({ hours, reason });
  const monthHours = async () =>
    (await t.http.get('/api/v1/contracts/C-1/hours').set('Authorization', t.admin).expect(200)).body;

  it('cancelling a correction brings the month back to the line it corrected', async () => {
    await postHours(t, 'C-1', '02/2024', '20').expect(201);
    const line = (await postHours(t, 'C-1', '03/2024', '151,67').expect(201)).body.entry;
    const fix = (await correct(line.id, '145').expect(201)).body;
    expect(fix.entry).toMatchObject({ kind: 'correction', hours: -6.67, correctsId: line.id });
    expect(fix.monthTotalHours).toBe(145);

    const cancel = (await correct(fix.entry.id, '0', 'Correction faite à tort').expect(201)).body;
    expect(cancel.entry).toMatchObject({ kind: 'correction', hours: 6.67, correctsId: fix.entry.id });
    expect(cancel.monthTotalHours).toBe(151.67);
    const ledger = await monthHours();
    expect(ledger.months).toEqual([
      { month: '2024-02', hours: 20 },
      { month: '2024-03', hours: 151.67 },
    ]);
    expect(ledger.entries.map((e: { hours: number }) => e.hours)).toEqual([20, 151.67, -6.67, 6.67]);

    // The line's value counts its corrections and theirs (151,67 - 6,67 + 6,67): to 150 posts -1,67.
    const again = (await correct(line.id, '150').expect(201)).body;
    expect(again.entry).toMatchObject({ hours: -1.67, correctsId: line.id });
    expect(again.monthTotalHours).toBe(150);
    // The cancelled correction is now worth 0: setting it to 0 changes nothing.
    expect((await correct(fix.entry.id, 0).expect(422)).body.error.code).toBe('no_change');

    const p = (await t.http.get('/api/v1/progress').expect(200)).body;
    expect(p).toMatchObject({ realisedHours: 170, beneficiaries: 1, rsa: { hours: 170, beneficiaries: 1 } });
    const snapshot = async () => ({
      hours: (await t.db('report_hours').where('centihours', '!=', 0).orderBy(['dim', 'key', 'month'])).map(
        (r: Record<string, unknown>) => ({ ...r, centihours: Number(r.centihours) }),
      ),
      counts: await t.db('report_counts').where('n', '!=', 0).orderBy(['dim', 'entity', 'key', 'month', 'prev']),
    });
    const kept = await snapshot();
    await rebuildRollups(t.db);
    expect(await snapshot()).toEqual(kept);
  });

  it('computes a correction against the line’s own value, not the month’s total', async () => {
    const a = (await postHours(t, 'C-1', '03/2024', '10').expect(201)).body.entry;
    const b = (await postHours(t, 'C-1', '03/2024', '5').expect(201)).body.entry;
    await correct(a.id, 0).expect(201);
    // b is worth 5; the month is 5: -1 on b would leave -1.
    const r = await t.http
      .post(`/api/v1/hour-entries/${b.id}/corrections`)
      .set('Authorization', t.admin)
      .set('Idempotency-Key', 'neg')
      .send({ hours: '-1', reason: 'essai' });
    expect(r.status).toBe(400); // negative hours are refused at the boundary
    const ok = (await correct(b.id, '2,5').expect(201)).body;
    expect(ok.entry).toMatchObject({ hours: -2.5, correctsId: b.id });
    expect(ok.monthTotalHours).toBe(2.5);
  });
});
