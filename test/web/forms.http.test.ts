import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { engines } from '../helpers/db.js';
import { SIRET_A, seedContract } from '../helpers/fixtures.js';
import { PASSWORD, accountWithPassword, csrfOf, loginAs } from '../helpers/web.js';

// Forms of the pages: the API's schemas and services behind them (same messages, same audit),
// messages next to their fields, and the edits of participants, marchés and companies.
describe.each(engines)('web forms [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    await seedContract(t, { contract: 'C-1' });
    await accountWithPassword(t, { email: 'f@plie.fr' });
  });
  afterEach(async () => t.destroy());

  it('creates a marché, with the API’s French messages next to the fields, and edits it', async () => {
    const { agent } = await loginAs(t, 'f@plie.fr', PASSWORD);
    const csrf = csrfOf((await agent.get('/marches/nouveau').expect(200)).text);
    const base = {
      _csrf: csrf,
      ref: 'M-2',
      citeCode: 'cite-4-lens',
      title: 'Toitures',
      contractorSiret: '73282932000075',
      amountEur: '10000',
      requiredHours: '400,5',
      startDate: '01/01/2024',
      endDate: '31/12/2024',
    };
    const bad = await agent.post('/marches/nouveau').type('form').send(base).expect(422);
    expect(bad.text).toMatch(/id="e-contractorSiret" class="field-error">[^<]*SIRET/);
    expect(bad.text).toContain('aria-describedby="e-contractorSiret');
    const ok = await agent
      .post('/marches/nouveau')
      .type('form')
      .send({ ...base, contractorSiret: SIRET_A })
      .expect(303);
    expect(ok.headers.location).toBe('/marches/M-2?ok=cree');
    expect((await agent.get('/marches/M-2').expect(200)).text).toContain('400,5\u00a0h');
    const dup = await agent
      .post('/marches/nouveau')
      .type('form')
      .send({ ...base, contractorSiret: SIRET_A })
      .expect(422);
    expect(dup.text).toMatch(/id="e-ref" class="field-error">Marché « M-2 » existe déjà/);

    const form = await agent.get('/marches/M-2/modifier').expect(200);
    expect(form.text).toContain('value="Toitures"');
    expect(form.text).toContain('action="/marches/M-2/modifier"');
    expect(form.text).not.toContain('name="ref"');
    await agent
      .post('/marches/M-2/modifier')
      .type('form')
      .send({ ...base, ref: undefined, contractorSiret: SIRET_A, title: 'Toitures et zinguerie' })
      .expect(303);
    expect((await t.db('marches').where({ ref: 'M-2' }).first()).title).toBe('Toitures et zinguerie');
    const audit = await t.db('audit_log').where({ action: 'marche.update', entity_ref: 'M-2' }).first();
    expect(audit).toBeTruthy();
  });

  it('edits a participant’s identity and renames a company', async () => {
    const { agent } = await loginAs(t, 'f@plie.fr', PASSWORD);
    const form = await agent.get('/participants/P-1/modifier').expect(200);
    expect(form.text).toContain('value="10/05/1990"');
    expect(form.text).toContain('action="/participants/P-1/modifier"');
    await agent
      .post('/participants/P-1/modifier')
      .type('form')
      .send({ _csrf: csrfOf(form.text), firstName: 'Léa', lastName: '', birthDate: '10/05/1990', sex: 'F' })
      .expect(303);
    const p = await t.db('participants').where({ ref: 'P-1' }).first();
    expect([p.first_name, p.last_name]).toEqual(['Léa', null]);

    const list = await agent.get('/entreprises').expect(200);
    await agent
      .post(`/entreprises/${SIRET_A}/renommer`)
      .type('form')
      .send({ _csrf: csrfOf(list.text), name: 'BTP du Nord et de l’Artois' })
      .expect(303);
    expect((await agent.get('/entreprises?q=artois').expect(200)).text).toContain('BTP du Nord et de l’Artois');
  });

  it('answers 404 pages in the design, and keeps the API’s JSON errors', async () => {
    const page = await t.http.get('/nulle-part').expect(404);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<html lang="fr"');
    expect(page.text).toContain('Page introuvable');
    const api = await t.http.get('/api/v1/nulle-part').set('Authorization', t.admin).expect(404);
    expect(api.body.error.code).toBe('route_not_found');
    const { agent } = await loginAs(t, 'f@plie.fr', PASSWORD);
    const forbidden = await agent.get('/admin/comptes').expect(403);
    expect(forbidden.text).toContain('Accès refusé');
    expect(forbidden.text).toContain('Camille Facilitatrice'); // the header, as on every page
  });
});
