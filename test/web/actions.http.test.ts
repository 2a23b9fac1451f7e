import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { engines } from '../helpers/db.js';
import { postHours, seedContract } from '../helpers/fixtures.js';
import { PASSWORD, accountWithPassword, csrfOf, loginAs } from '../helpers/web.js';

// Actions of the pages that the journeys do not drive: an RSA attestation issued from the
// attestations page, revoking with a reason, applying a file that was never checked.
describe.each(engines)('web actions [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    await seedContract(t, { contract: 'C-1', categories: ['RSA'], rsaDepartement: '62' });
    await postHours(t, 'C-1', '2024-03', '100').expect(201);
    await accountWithPassword(t, { email: 'f@plie.fr' });
    await accountWithPassword(t, { email: 'a@erbm.fr', role: 'admin' });
  });
  afterEach(async () => t.destroy());

  it('issues an RSA attestation from the report, then revokes it with a reason', async () => {
    const { agent } = await loginAs(t, 'f@plie.fr', PASSWORD);
    const report = await agent.get('/rapports/rsa?departement=62&from=01/2024&to=12/2024').expect(200);
    expect(report.text).toContain('Délivrer l’attestation RSA');
    const csrf = csrfOf(report.text);
    const missing = await agent
      .post('/attestations/delivrer')
      .type('form')
      .send({ _csrf: csrf, kind: 'rsa', departement: '62', from: '01/2024' })
      .expect(422);
    expect(missing.text).toContain('Mois obligatoire');
    const issued = await agent
      .post('/attestations/delivrer')
      .type('form')
      .send({ _csrf: csrf, kind: 'rsa', departement: '62', from: '01/2024', to: '12/2024' })
      .expect(303);
    expect(issued.headers.location).toBe('/attestations?ok=delivree&numero=ATT-2026-000001');
    const pdf = await agent.get('/attestations/ATT-2026-000001.pdf').expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');

    const form = await agent.get('/attestations/ATT-2026-000001/revoquer').expect(200);
    const short = await agent
      .post('/attestations/ATT-2026-000001/revoquer')
      .type('form')
      .send({ _csrf: csrfOf(form.text), reason: 'x' })
      .expect(422);
    expect(short.text).toMatch(/id="e-reason" class="field-error">Motif de révocation trop court/);
    await agent
      .post('/attestations/ATT-2026-000001/revoquer')
      .type('form')
      .send({ _csrf: csrfOf(form.text), reason: 'Période erronée' })
      .expect(303);
    const list = await agent.get('/attestations?statut=revoked').expect(200);
    expect(list.text).toContain('Période erronée');
    const audit = await t.db('audit_log').where({ action: 'attestation.revoke' }).first();
    expect(JSON.parse(audit.details)).toEqual({ reason: 'Période erronée' });
  });

  it('applies only a file that was checked', async () => {
    const { agent } = await loginAs(t, 'f@plie.fr', PASSWORD);
    const page = await agent.get('/imports').expect(200);
    const r = await agent
      .post('/imports/appliquer')
      .type('form')
      .send({ _csrf: csrfOf(page.text), type: 'hours', sha256: 'a'.repeat(64) })
      .expect(400);
    expect(r.text).toContain('n’a pas été vérifié');
    await agent
      .post('/imports/verifier')
      .field('_csrf', 'forged')
      .field('type', 'hours')
      .attach('fichier', Buffer.from('x'), 'f.csv')
      .expect(400);
  });
});
