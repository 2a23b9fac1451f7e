import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract, SIRET_A } from '../helpers/fixtures.js';
import { PASSWORD, accountWithPassword, csrfOf, loginAs } from '../helpers/web.js';

// The report and admin pages through the real app: who may open them, the same figures as
// the API, forms with the session's CSRF token, POST-redirect-GET, a token shown once.
describe.each(engines)('report and admin pages [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    await seedContract(t, { categories: ['RSA'], rsaDepartement: '62', start: '2024-02-01', end: '2024-06-30' });
    await postHours(t, 'C-1', '2024-03', '40').expect(201);
    await postHours(t, 'C-1', '2024-04', '50,5').expect(201);
  });
  afterEach(async () => t.destroy());

  const as = async (o: Parameters<typeof accountWithPassword>[1] & { email: string }) => {
    await accountWithPassword(t, o);
    return (await loginAs(t, o.email, PASSWORD)).agent;
  };

  it('Département: its RSA report, the CSV of the API, never another Département’s', async () => {
    const d62 = await as({ email: 'd62@cd62.fr', role: 'departement', departement: '62' });
    const page = await d62.get('/rapports/rsa?from=01/2024&to=2024-12').expect(200);
    expect(page.text).toContain('Rapport RSA — Pas-de-Calais (62)');
    expect(page.text).toContain('de 01/2024 à 12/2024');
    expect(page.text).toContain('90,5\u00a0h');
    expect(page.text).toContain('<svg role="img" aria-labelledby="chart-caption"');
    expect(page.text).not.toContain('Délivrer l’attestation RSA'); // a Département does not issue
    const csvHref = /href="(\/rapports\/rsa\.csv[^"]*)"/.exec(page.text)?.[1].replace(/&amp;/g, '&');
    expect(csvHref).toBe('/rapports/rsa.csv?departement=62&from=2024-01&to=2024-12');
    const csv = await d62
      .get(csvHref!)
      .expect(200)
      .expect('Content-Type', /text\/csv/);
    const api = await t.http
      .get('/api/v1/reports/rsa.csv?departement=62&from=2024-01&to=2024-12')
      .set('Authorization', t.admin)
      .expect(200);
    expect(csv.text).toBe(api.text);
    await d62.get('/rapports/rsa.xlsx').expect(200).expect('Content-Type', /sheet/);
    // A Département reads its report but does not issue the attestation.
    await d62
      .post('/rapports/rsa/attestation')
      .type('form')
      .send({ _csrf: csrfOf(page.text), from: '01/2024', to: '12/2024' })
      .expect(403);
    // Another Département's report: refused, on the page and in the downloads.
    const d59 = await as({ email: 'd59@cd59.fr', role: 'departement', departement: '59' });
    const own = await d59.get('/rapports/rsa?departement=62').expect(200);
    expect(own.text).toContain('Rapport RSA — Nord (59)');
    expect(own.text).not.toContain('90,5');
    // Bad input: the message next to its field, status 400.
    const bad = await d62.get('/rapports/rsa?from=13/2024').expect(400);
    expect(bad.text).toMatch(/id="e-from" class="field-error">Mois « 13\/2024 » invalide/);
    const inverted = await d62.get('/rapports/rsa?from=2024-05&to=2024-01').expect(400);
    expect(inverted.text).toMatch(/id="e-from" class="field-error">Le mois de début est après le mois de fin\./);
  });

  it('the hours breakdowns: tables and downloads equal to the API’s, for readers of aggregates only', async () => {
    const admin = await as({ email: 'a@erbm.fr', role: 'admin' });
    const page = await admin.get('/rapports?par=sex&puis=year').expect(200);
    expect(page.text).toContain('Heures par sexe et par année');
    expect(page.text).toMatch(/<th scope="row">Femme<\/th><td>2024<\/td><td class="num">90,5\u00a0h<\/td>/);
    const csv = await admin.get('/rapports/heures.csv?groupBy=sex,year').expect(200);
    const api = await t.http.get('/api/v1/reports/hours.csv?groupBy=sex,year').set('Authorization', t.admin);
    expect(csv.text).toBe(api.text);
    // A facilitator: a cell of one person crossed with a person attribute is masked, as in the API.
    const f = await as({ email: 'f@plie.fr' });
    const masked = await f.get('/rapports?par=sex&puis=year').expect(200);
    expect(masked.text).toMatch(/<th scope="row">Femme<\/th><td>2024<\/td><td class="num">masqué<\/td>/);
    const fToken = await t.tokenFor('facilitator', { structure: 'plie-lens-henin' });
    const fCsv = await f.get('/rapports/heures.csv?groupBy=sex,year').expect(200);
    const fApi = await t.http.get('/api/v1/reports/hours.csv?groupBy=sex,year').set('Authorization', fToken);
    expect(fCsv.text).toBe(fApi.text);
    expect(fCsv.text).not.toContain('90,5');
    expect((await f.get('/rapports?par=nope').expect(400)).text).toContain('id="e-par"');
    const c = await as({ email: 'e@btp.fr', role: 'contractor', contractor: SIRET_A });
    await c.get('/rapports').expect(403);
    await c.get('/rapports/rsa').expect(403);
    await c.get('/rapports/heures.csv?groupBy=sex').expect(403);
    await c.get('/admin/comptes').expect(403);
    await c.get('/admin/comptes/1').expect(403);
    await admin.get('/admin/comptes/999').expect(404);
    // Signed out: the login page.
    const anonymous = await t.http.get('/rapports/rsa').expect(303);
    expect(anonymous.headers.location).toBe('/login');
  });

  it('facilitator: issues the RSA attestation from the report page (PRG, CSRF)', async () => {
    const f = await as({ email: 'f@plie.fr' });
    const page = await f.get('/rapports/rsa?departement=62&from=2024-01&to=2024-12').expect(200);
    const missing = await f
      .post('/rapports/rsa/attestation')
      .type('form')
      .send({ _csrf: csrfOf(page.text), departement: '62', from: '', to: '12/2024' })
      .expect(400);
    expect(missing.text).toContain('id="att-e-from"');
    await f
      .post('/rapports/rsa/attestation')
      .type('form')
      .send({ _csrf: 'forged', departement: '62', from: '01/2024', to: '12/2024' })
      .expect(400);
    expect(Number((await t.db('attestations').count({ n: '*' }).first())?.n)).toBe(0); // nothing issued yet
    const done = await f
      .post('/rapports/rsa/attestation')
      .type('form')
      .send({ _csrf: csrfOf(page.text), departement: '62', from: '01/2024', to: '12/2024', reportFrom: '01/2024' })
      .expect(303);
    expect(done.headers.location).toMatch(
      /^\/rapports\/rsa\?departement=62&from=01%2F2024&attestation=ATT-2026-000001$/,
    );
    const after = await f.get(done.headers.location).expect(200);
    expect(after.text).toContain('Attestation RSA ATT-2026-000001 délivrée');
    const row = await t.db('attestations').where({ kind: 'rsa' }).first();
    expect(row.number).toBe('ATT-2026-000001');
    // The page's link to the PDF opens it.
    expect(after.text).toContain('href="/attestations/ATT-2026-000001.pdf"');
    await f.get('/attestations/ATT-2026-000001.pdf').expect(200).expect('Content-Type', /pdf/);
  });

  it('admin: creates an account (token shown once), disables it, reopens a month, filters the log', async () => {
    const admin = await as({ email: 'admin@erbm.fr', role: 'admin' });
    const form = await admin.get('/admin/comptes/nouveau').expect(200);
    // Invalid: each message next to its field, nothing created.
    const bad = await admin
      .post('/admin/comptes/nouveau')
      .type('form')
      .send({ _csrf: csrfOf(form.text), role: 'contractor', name: '', contractor: '123' })
      .expect(400);
    expect(bad.text).toMatch(/id="e-name" class="field-error">Nom obligatoire\./);
    expect(bad.text).toContain('class="error-summary"');
    const badSiren = await admin
      .post('/admin/comptes/nouveau')
      .type('form')
      .send({ _csrf: csrfOf(form.text), role: 'contractor', name: 'BTP', contractor: '123' })
      .expect(400);
    expect(badSiren.text).toMatch(/id="e-contractor" class="field-error">SIREN ou SIRET « 123 » invalide/);
    const created = await admin
      .post('/admin/comptes/nouveau')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        role: 'departement',
        name: 'CD 59',
        departement: '59',
        structure: 'plie-bethune',
      })
      .expect(303);
    const href = created.headers.location as string;
    expect(href).toMatch(/^\/admin\/comptes\/\d+\?fait=cree$/);
    const shown = await admin.get(href).expect(200);
    const token = /<code id="jeton">([^<]+)<\/code>/.exec(shown.text)?.[1] ?? '';
    expect(token).toMatch(/.{20,}/);
    await t.http.get('/api/v1/reports/rsa?departement=59').set('Authorization', `Bearer ${token}`).expect(200);
    const again = await admin.get(href).expect(200);
    expect(again.text).not.toContain(token); // shown once
    expect(again.text).not.toContain('id="jeton"');
    // Disable: the token stops working at once.
    const id = href.split('/')[3].split('?')[0];
    await admin
      .post(`/admin/comptes/${id}/desactiver`)
      .type('form')
      .send({ _csrf: csrfOf(again.text) })
      .expect(303)
      .expect('Location', `/admin/comptes/${id}?fait=desactive`);
    await t.http.get('/api/v1/reports/rsa?departement=59').set('Authorization', `Bearer ${token}`).expect(401);
    expect((await admin.get('/admin/comptes').expect(200)).text).toMatch(/CD 59[\s\S]*Désactivé le 24\/11\/2026/);

    // Reopen a closed month, with a reason.
    await t.http
      .post('/api/v1/closed-months')
      .set('Authorization', t.admin)
      .send({ structure: 'plie-lens-henin', month: '2024-03' })
      .expect(201);
    const months = await admin.get('/admin/mois').expect(200);
    expect(months.text).toContain('03/2024');
    const noReason = await admin
      .post('/admin/mois/plie-lens-henin/2024-03/rouvrir')
      .type('form')
      .send({ _csrf: csrfOf(months.text), reason: '' })
      .expect(400);
    expect(noReason.text).toMatch(/id="e-reason-plie-lens-henin-2024-03" class="field-error">Motif obligatoire\./);
    await admin
      .post('/admin/mois/plie-lens-henin/2024-03/rouvrir')
      .type('form')
      .send({ _csrf: csrfOf(months.text), reason: 'Saisie oubliée par la structure' })
      .expect(303);
    expect(Number((await t.db('closed_months').count({ n: '*' }).first())?.n)).toBe(0);
    const log = await t.db('audit_log').where({ action: 'month.reopen' }).first();
    expect(JSON.parse(log.details)).toEqual({ month: '2024-03', reason: 'Saisie oubliée par la structure' });

    // The log, filtered: the same entries as the API's.
    const j = await admin.get('/admin/journal?action=month.&from=24/11/2026').expect(200);
    expect(j.text).toContain('month.reopen');
    expect(j.text).toContain('motif : Saisie oubliée par la structure');
    expect(j.text).not.toContain('<code>account.create');
    const api = await t.http.get('/api/v1/audit?action=month.').set('Authorization', t.admin).expect(200);
    expect(api.body.items.map((i: { action: string }) => i.action)).toEqual(['month.reopen', 'month.close']);
    expect(j.text.match(/<code>month\./g)).toHaveLength(2);
    expect((await admin.get('/admin/journal?from=31/02/2026').expect(400)).text).toContain('id="e-from"');
    // Paging: 1 entry a page, the next page starts below the last id shown.
    const p1 = await admin.get('/admin/journal?action=month.&limit=1').expect(200);
    const older = /href="(\/admin\/journal\?[^"]*before=\d+)"/.exec(p1.text)?.[1].replace(/&amp;/g, '&');
    expect(older).toBeDefined();
    const p2 = await admin.get(older!).expect(200);
    expect(p2.text).toContain('<code>month.close');
    expect(p2.text).not.toContain('<code>month.reopen');
    expect(p1.text).toContain('<code>month.reopen');

    // Others: 403.
    const f = await as({ email: 'f@plie.fr' });
    for (const path of ['/admin/comptes', '/admin/comptes/nouveau', '/admin/mois', '/admin/journal'])
      await f.get(path).expect(403);
  });
});
