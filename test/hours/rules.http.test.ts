import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, rowCounts, seedContract } from '../helpers/fixtures.js';

describe.each(engines)('ledger rules [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    await seedContract(t);
  });
  afterEach(async () => t.destroy());

  const post = (key: string, body: object, auth = t.admin) =>
    t.http.post('/api/v1/contracts/C-1/hours').set('Authorization', auth).set('Idempotency-Key', key).send(body);

  it('allows 235 h in a month over several entries, not one hundredth more', async () => {
    await postHours(t, 'C-1', '2024-03', '200').expect(201);
    await postHours(t, 'C-1', '2024-03', '35').expect(201);
    const r = await postHours(t, 'C-1', '2024-03', '0,01').expect(422);
    expect(r.body.error).toMatchObject({ code: 'month_total_too_high' });
    expect(r.body.error.message).toMatch(/235 h/);
  });

  it('posts once for the same Idempotency-Key, and refuses the key for another request', async () => {
    const a = await post('same', { month: '2024-03', hours: 10 }).expect(201);
    const b = await post('same', { month: '2024-03', hours: 10 }).expect(200);
    expect(b.body.replayed).toBe(true);
    expect(b.body.entry.id).toBe(a.body.entry.id);
    const c = await post('same', { month: '2024-03', hours: 11 }).expect(409);
    expect(c.body.error.code).toBe('idempotency_key_reused');
    expect(await t.db('hour_entries').count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('posts once when concurrent requests share one key', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => post('concurrent', { month: '2024-04', hours: '7,5' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(results.map((r) => r.body.entry.id));
    expect(ids.size).toBe(1);
    const ledger = await t.http.get('/api/v1/contracts/C-1/hours').set('Authorization', t.admin).expect(200);
    expect(ledger.body.totalHours).toBe(7.5);
  });

  it('never exceeds 235 h under concurrent posts with different keys', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(`par-${i}`, { month: '2024-05', hours: 50 })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(4);
    expect(results.filter((r) => r.status === 422)).toHaveLength(2);
    const ledger = await t.http.get('/api/v1/contracts/C-1/hours').set('Authorization', t.admin).expect(200);
    expect(ledger.body.totalHours).toBe(200);
  });

  it('requires an Idempotency-Key', async () => {
    const r = await t.http
      .post('/api/v1/contracts/C-1/hours')
      .set('Authorization', t.admin)
      .send({ month: '2024-03', hours: 1 })
      .expect(400);
    expect(r.body.error.details[0].message).toMatch(/Idempotency-Key/);
  });

  it('corrects an entry with a new entry carrying the difference, a reference and a reason', async () => {
    const a = await postHours(t, 'C-1', '2024-03', '120').expect(201);
    const id = a.body.entry.id;
    const c = await t.http
      .post(`/api/v1/hour-entries/${id}/corrections`)
      .set('Authorization', t.admin)
      .set('Idempotency-Key', 'fix-1')
      .send({ hours: '100,5', reason: 'Erreur de saisie (relevé employeur)' })
      .expect(201);
    expect(c.body.entry).toMatchObject({
      kind: 'correction',
      hours: -19.5,
      correctsId: id,
      reason: 'Erreur de saisie (relevé employeur)',
    });
    expect(c.body.monthTotalHours).toBe(100.5);
    // A second correction of the same entry is computed against its corrected value.
    const d = await t.http
      .post(`/api/v1/hour-entries/${id}/corrections`)
      .set('Authorization', t.admin)
      .set('Idempotency-Key', 'fix-2')
      .send({ hours: 0, reason: 'Contrat non exécuté ce mois' })
      .expect(201);
    expect(d.body.entry).toMatchObject({ hours: -100.5, correctsId: id });
    const ledger = await t.http.get('/api/v1/contracts/C-1/hours').set('Authorization', t.admin).expect(200);
    expect(ledger.body.entries.map((e: any) => e.hours)).toEqual([120, -19.5, -100.5]);
    expect(ledger.body.totalHours).toBe(0);
    // Original entry is untouched.
    expect(Number((await t.db('hour_entries').where({ id }).first()).centihours)).toBe(12000);
    const p = await t.http.get('/api/v1/progress').expect(200);
    expect(p.body).toMatchObject({ realisedHours: 0, beneficiaries: 0, contracts: 0 });
  });

  it('refuses a correction without reason or with no change', async () => {
    const a = await postHours(t, 'C-1', '2024-03', '10').expect(201);
    const url = `/api/v1/hour-entries/${a.body.entry.id}/corrections`;
    await t.http.post(url).set('Authorization', t.admin).set('Idempotency-Key', 'x1').send({ hours: 5 }).expect(400);
    const r = await t.http
      .post(url)
      .set('Authorization', t.admin)
      .set('Idempotency-Key', 'x2')
      .send({ hours: 10, reason: 'rien' })
      .expect(422);
    expect(r.body.error.code).toBe('no_change');
    await t.http
      .post('/api/v1/hour-entries/999999/corrections')
      .set('Authorization', t.admin)
      .set('Idempotency-Key', 'x3')
      .send({ hours: 1, reason: 'motif' })
      .expect(404);
  });

  it('refuses entries for a closed month (409) until an admin reopens it, and logs both', async () => {
    const fac = await t.tokenFor('facilitator', { structure: 'plie-lens-henin' });
    await t.http.post('/api/v1/closed-months').set('Authorization', fac).send({ month: '03/2024' }).expect(201);
    await t.http.post('/api/v1/closed-months').set('Authorization', fac).send({ month: '2024-03' }).expect(409);
    const before = await rowCounts(t);
    const r = await postHours(t, 'C-1', '2024-03', '10', fac).expect(409);
    expect(r.body.error.code).toBe('month_closed');
    expect(await rowCounts(t)).toEqual(before);
    await postHours(t, 'C-1', '2024-04', '10', fac).expect(201);
    // The facilitator cannot reopen; an admin can, with a reason.
    await t.http
      .post('/api/v1/closed-months/plie-lens-henin/2024-03/reopen')
      .set('Authorization', fac)
      .send({ reason: 'oubli' })
      .expect(403);
    await t.http
      .post('/api/v1/closed-months/plie-lens-henin/2024-03/reopen')
      .set('Authorization', t.admin)
      .send({ reason: 'Heures oubliées' })
      .expect(200);
    await postHours(t, 'C-1', '2024-03', '10', fac).expect(201);
    const log = await t
      .db('audit_log')
      .whereIn('action', ['month.close', 'month.reopen'])
      .orderBy('id')
      .pluck('action');
    expect(log).toEqual(['month.close', 'month.reopen']);
  });

  it('does not let a facilitator close another structure’s month or write outside its cités', async () => {
    const other = await t.tokenFor('facilitator', { structure: 'plie-valenciennes' });
    await t.http
      .post('/api/v1/closed-months')
      .set('Authorization', other)
      .send({ structure: 'plie-lens-henin', month: '2024-03' })
      .expect(403);
    const r = await postHours(t, 'C-1', '2024-03', '10', other);
    expect(r.status).toBe(404); // the contract is outside its scope: not even visible
    expect(await t.db('hour_entries').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});
