import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { engines } from '../helpers/db.js';
import { seedContract } from '../helpers/fixtures.js';
import { PASSWORD, accountWithPassword, csrfOf, loginAs } from '../helpers/web.js';

// The month grid: totals declared per contract, differences posted, all or nothing.
describe.each(engines)('Saisie des heures [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    await seedContract(t, { contract: 'C-1' });
    await seedContract(t, { contract: 'C-2', participant: 'P-2' });
    await seedContract(t, {
      contract: 'C-9',
      participant: 'P-9',
      marche: 'M-9',
      cite: 'mouchonniere-douai',
      structure: 'plie-douaisis',
    });
    await accountWithPassword(t, { email: 'f@plie.fr' });
  });
  afterEach(async () => t.destroy());

  const totals = async () =>
    Object.fromEntries(
      (
        await t
          .db('contract_months as cm')
          .join('contracts as c', 'c.id', 'cm.contract_id')
          .select('c.ref', 'cm.month', 'cm.centihours')
      )
        .filter((r: any) => Number(r.centihours) !== 0)
        .map((r: any) => [`${r.ref}|${r.month}`, Number(r.centihours)]),
    );

  it('shows the contracts of its scope, saves differences, twice without double counting, refuses bad cells', async () => {
    const { agent } = await loginAs(t, 'f@plie.fr', PASSWORD);
    const page = await agent.get('/saisie?mois=2024-03').expect(200);
    expect(page.text).toContain('Heures du contrat C-1 (P-1), 03/2024');
    expect(page.text).toContain('C-2');
    expect(page.text).not.toContain('C-9'); // another structure's cité
    const csrf = csrfOf(page.text);
    const form = { _csrf: csrf, 'h:C-1': '151,67', 'was:C-1': '', 'h:C-2': '', 'was:C-2': '' };
    const saved = await agent.post('/saisie?mois=2024-03').type('form').send(form).expect(303);
    expect(saved.headers.location).toBe('/saisie?mois=2024-03&ok=enregistre&n=1');
    await agent.post('/saisie?mois=2024-03').type('form').send(form).expect(303); // the same form again
    expect(await totals()).toEqual({ 'C-1|2024-03': 15167 });
    expect(await t.db('hour_entries').count({ n: '*' }).first()).toMatchObject({ n: 1 });

    // A total changed: a correction of the difference, pointing at the first entry.
    await agent
      .post('/saisie?mois=2024-03')
      .type('form')
      .send({ ...form, 'h:C-1': '100', 'was:C-1': '151,67', 'h:C-2': '20,5' })
      .expect(303);
    expect(await totals()).toEqual({ 'C-1|2024-03': 10000, 'C-2|2024-03': 2050 });
    const correction = await t.db('hour_entries').where({ kind: 'correction' }).first();
    expect(Number(correction.centihours)).toBe(-5167);
    expect(correction.reason).toContain('total déclaré 100');

    // One bad cell: its message next to it, nothing saved (not even the good cell).
    const bad = await agent
      .post('/saisie?mois=2024-03')
      .type('form')
      .send({ _csrf: csrf, 'h:C-1': '300', 'was:C-1': '100', 'h:C-2': '30', 'was:C-2': '20,5' })
      .expect(422);
    expect(bad.text).toContain('dépasserait 235');
    expect(bad.text).toMatch(/aria-describedby="e-0"/);
    const decimals = await agent
      .post('/saisie?mois=2024-03')
      .type('form')
      .send({ _csrf: csrf, 'h:C-1': '12,345', 'was:C-1': '100', 'h:C-2': '30', 'was:C-2': '20,5' })
      .expect(422);
    expect(decimals.text).toContain('Rien n’a été enregistré');
    expect(decimals.text).toContain('value="12,345"');
    expect(await totals()).toEqual({ 'C-1|2024-03': 10000, 'C-2|2024-03': 2050 });

    // A forged form is refused.
    await agent
      .post('/saisie?mois=2024-03')
      .type('form')
      .send({ ...form, _csrf: 'x' })
      .expect(400);
  });

  it('closes the month: read-only with who closed it, entries refused', async () => {
    const { agent } = await loginAs(t, 'f@plie.fr', PASSWORD);
    const page = await agent.get('/saisie?mois=2024-04').expect(200);
    const csrf = csrfOf(page.text);
    await agent.post('/saisie/cloture').type('form').send({ _csrf: csrf, mois: '2024-04' }).expect(303);
    const closed = await agent.get('/saisie?mois=2024-04').expect(200);
    expect(closed.text).toContain('Mois clos le 24/11/2026');
    expect(closed.text).toContain('par Camille Facilitatrice');
    expect(closed.text).not.toContain('name="h:C-1"');
    expect(closed.text).not.toContain('>Enregistrer<');
    const refused = await agent
      .post('/saisie?mois=2024-04')
      .type('form')
      .send({ _csrf: csrf, 'h:C-1': '10', 'was:C-1': '' })
      .expect(422);
    expect(refused.text).toContain('est clos');
  });

  it('is for facilitators and admins only', async () => {
    await accountWithPassword(t, { email: 'd@62.fr', role: 'departement', departement: '62' });
    const { agent } = await loginAs(t, 'd@62.fr', PASSWORD);
    const r = await agent.get('/saisie').expect(403);
    expect(r.text).toContain('Accès refusé');
    await agent.get('/saisie?mois=13-2024').expect(403);
    const anon = await t.http.get('/saisie').expect(303);
    expect(anon.headers.location).toBe('/login');
  });
});
