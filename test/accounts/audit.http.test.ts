import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract } from '../helpers/fixtures.js';
import { csv, HOURS_HEADER, hoursLine, postCsv } from '../helpers/imports.js';

// Every kind of change and every identity view leaves a line in the audit log, with its author.
describe.each(engines)('audit coverage [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
  });
  afterEach(async () => t.destroy());

  it('audits creations, corrections, closes, reopens, imports, issues, revocations, identity views and account changes', async () => {
    const fac = await t.tokenFor('facilitator', { structure: 'plie-lens-henin' });
    await seedContract(t, { auth: fac });
    const posted = await postHours(t, 'C-1', '2024-03', '10', fac).expect(201);
    await t.http
      .post(`/api/v1/hour-entries/${posted.body.entry.id}/corrections`)
      .set('Authorization', fac)
      .set('Idempotency-Key', 'corr-1')
      .send({ hours: '12', reason: 'Erreur de saisie' })
      .expect(201);
    await t.http.post('/api/v1/closed-months').set('Authorization', fac).send({ month: '2024-05' }).expect(201);
    await t.http
      .post('/api/v1/closed-months/plie-lens-henin/2024-05/reopen')
      .set('Authorization', t.admin)
      .send({ reason: 'Saisie tardive' })
      .expect(200);
    await postCsv(t, 'hours', csv(HOURS_HEADER, [hoursLine({ month: '06/2024', hours: '7' })]), {
      apply: true,
      auth: fac,
    }).expect(200);
    const att = await t.http
      .post('/api/v1/attestations')
      .set('Authorization', fac)
      .send({ kind: 'clause', marcheRef: 'M-1' })
      .expect(201);
    await t.http
      .post(`/api/v1/attestations/${att.body.number}/revoke`)
      .set('Authorization', fac)
      .send({ reason: 'Erreur de marché' })
      .expect(200);
    await t.http.get('/api/v1/participants/P-1').set('Authorization', fac).expect(200);
    await t.http.get('/api/v1/participants').set('Authorization', fac).expect(200);
    const acc = await t.http
      .post('/api/v1/accounts')
      .set('Authorization', t.admin)
      .send({ role: 'departement', departement: '62', name: 'PdC' })
      .expect(201);
    await t.http.post(`/api/v1/accounts/${acc.body.account.id}/disable`).set('Authorization', t.admin).expect(200);

    const log = await t.http.get('/api/v1/audit?limit=1000').set('Authorization', t.admin).expect(200);
    const actions = new Set(log.body.items.map((e: any) => e.action));
    for (const a of [
      'marche.create',
      'participant.create',
      'contract.create',
      'hours.post',
      'hours.correct',
      'month.close',
      'month.reopen',
      'import.apply',
      'attestation.issue',
      'attestation.revoke',
      'participant.view_identity',
      'participant.list_identity',
      'account.create',
      'account.disable',
    ])
      expect(actions, a).toContain(a);
    const view = log.body.items.find((e: any) => e.action === 'participant.view_identity');
    expect(view).toMatchObject({ entity: 'participant', ref: 'P-1', account: { role: 'facilitator' } });
  });

  it('keeps the audit log for admins only', async () => {
    for (const auth of [
      await t.tokenFor('facilitator', { structure: 'plie-lens-henin' }),
      await t.tokenFor('departement', { departement: '59' }),
    ])
      expect((await t.http.get('/api/v1/audit').set('Authorization', auth).expect(403)).body.error.code).toBe(
        'forbidden',
      );
    await t.http.get('/api/v1/audit').expect(401);
  });
});
