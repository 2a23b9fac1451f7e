import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { seriousViolations } from '../helpers/axe.js';
import { engines } from '../helpers/db.js';
import { postHours, seedContract, SIRET_A } from '../helpers/fixtures.js';
import { hasChromium, openBrowserOn } from '../helpers/browser.js';
import { PASSWORD } from '../helpers/web.js';

// The Département's RSA report and the admin's jobs in Chromium, each page checked by
// axe-core (no serious or critical violation). With SCREENSHOTS=1 the SQLite run writes the
// pages at 1280 and 390 px wide under docs/screens/ (else under test/output/screens/).

const SCREENS = process.env.SCREENSHOTS === '1' ? 'docs/screens' : 'test/output/screens';

/** axe-core's serious and critical violations of the page as it is now. */
const axeProblems = async (page: Page): Promise<string[]> =>
  (await seriousViolations(page)).map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`);

if (!hasChromium)
  console.warn('Chromium absent (/usr/bin/chromium) : tests navigateur des rapports et de l’admin sautés.');

describe.skipIf(!hasChromium).each(engines)('reports and admin in Chromium [%s]', { timeout: 60_000 }, (engine) => {
  let t: TestApp;
  let session: Awaited<ReturnType<typeof openBrowserOn>>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    t = await makeTestApp(engine);
    // RSA beneficiaries paid by the 62 over a year, one paid by the 59.
    const months = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06', '2024-07', '2024-08'];
    for (const [i, p] of ['A', 'B', 'C'].entries()) {
      await seedContract(t, {
        participant: `P-${p}`,
        contract: `C-${p}`,
        categories: ['RSA'],
        rsaDepartement: '62',
        start: `2024-0${i + 1}-01`,
        end: '2024-12-31',
      });
      for (const m of months.slice(i)) await postHours(t, `C-${p}`, m, `${60 + i * 25},5`).expect(201);
    }
    await seedContract(t, { participant: 'P-N', contract: 'C-N', categories: ['RSA'], rsaDepartement: '59' });
    await postHours(t, 'C-N', '2024-03', '70').expect(201);
    await t.http
      .post('/api/v1/closed-months')
      .set('Authorization', t.admin)
      .send({ structure: 'plie-lens-henin', month: '2024-02' })
      .expect(201);
    const people: Array<[string, Record<string, string>]> = [
      ['Service RSA du Pas-de-Calais', { email: 'rsa@cd62.fr', role: 'departement', departement: '62' }],
      ['Alix Administratrice', { email: 'admin@erbm.fr', role: 'admin' }],
      ['Camille Facilitatrice', { email: 'f@plie.fr', role: 'facilitator', structure: 'plie-lens-henin' }],
      ['BTP du Nord', { email: 'e@btp.fr', role: 'contractor', contractor: SIRET_A }],
    ];
    for (const [name, o] of people)
      await t.http
        .post('/api/v1/accounts')
        .set('Authorization', t.admin)
        .send({ name, password: PASSWORD, ...o })
        .expect(201);
    session = await openBrowserOn(t.app);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await session?.close();
    await t?.destroy();
  });

  async function signIn(email: string, width = 1280): Promise<Page> {
    const context = await session.browser.newContext({
      bypassCSP: true,
      acceptDownloads: true,
      viewport: { width, height: 900 },
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(5000);
    await page.goto(`${session.url}/login`);
    await page.getByLabel('Adresse électronique').fill(email);
    await page.getByLabel('Mot de passe').fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${session.url}/espace`);
    return page;
  }

  /** axe-core, then screenshots at both widths (SQLite run only: the pages are the same). */
  async function check(page: Page, name: string) {
    expect(await axeProblems(page), `${name}: axe-core`).toEqual([]);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.title()).not.toBe('');
    if (engine !== 'sqlite') return;
    fs.mkdirSync(SCREENS, { recursive: true });
    const size = page.viewportSize()!;
    await page.screenshot({ path: `${SCREENS}/${name}-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await axeProblems(page), `${name} at 390 px: axe-core`).toEqual([]);
    await page.screenshot({ path: `${SCREENS}/${name}-390.png`, fullPage: true });
    await page.setViewportSize(size);
  }

  it('the Département reads its RSA report and downloads the CSV, whose figures are the API’s', async () => {
    const page = await signIn('rsa@cd62.fr');
    await page.getByRole('link', { name: 'Rapport RSA', exact: true }).click();
    await page.getByLabel('Du mois (mm/aaaa)').fill('01/2024');
    await page.getByLabel('Au mois (mm/aaaa)').fill('12/2024');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.waitForURL(/from=01%2F2024/);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Rapport RSA — Pas-de-Calais (62)');
    const api = (
      await t.http
        .get('/api/v1/reports/rsa?departement=62&from=2024-01&to=2024-12')
        .set('Authorization', t.admin)
        .expect(200)
    ).body;
    const main = await page.locator('main').innerText();
    expect(main).toContain(`${api.hours.toLocaleString('fr-FR')}\u00a0h`);
    expect(main).not.toContain('Martin'); // figures only: no beneficiary's name
    expect(api.beneficiaries).toBe(3);
    // The chart, with its text alternative.
    const chart = page.getByRole('img', { name: /le plus fourni est/ });
    await expect.poll(() => chart.count()).toBe(1);
    expect(await page.locator('svg.months rect').count()).toBe(api.byMonth.length);
    expect(await page.getByRole('button', { name: 'Délivrer l’attestation RSA' }).count()).toBe(0);
    await check(page, 'rapport-rsa-departement');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Télécharger le rapport (CSV)' }).click(),
    ]);
    expect(download.url()).toContain('csv');
    const csv = fs.readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const rows = csv
      .trim()
      .split('\r\n')
      .map((l) => l.split(';'));
    const num = (s: string) => (s === '' ? 0 : Number(s.replace(',', '.')));
    const total = rows.find((r) => r[0] === 'Total')!;
    expect([num(total[2]), num(total[3]), num(total[5])]).toEqual([api.hours, api.beneficiaries, api.contracts]);
    const months = rows.filter((r) => r[0] === 'Mois');
    expect(months.map((r) => [r[1], num(r[2]), num(r[3]), num(r[4]), num(r[5])])).toEqual(
      api.byMonth.map((m: Record<string, number | string>) => [
        m.month,
        m.hours,
        m.beneficiaries,
        m.newBeneficiaries,
        m.newContracts,
      ]),
    );
    expect(
      (await page.getByRole('link', { name: 'Télécharger le rapport (XLSX)' }).getAttribute('href'))?.startsWith(
        '/rapports/rsa.xlsx?',
      ),
    ).toBe(true);

    // Neither the admin pages nor another Département's report.
    for (const p of ['/admin/comptes', '/admin/journal']) {
      const r = await page.goto(`${session.url}${p}`);
      expect(r?.status()).toBe(403);
    }
    await check(page, 'acces-refuse');
    const other = await page.goto(`${session.url}/rapports/rsa?departement=59`);
    expect(other?.status()).toBe(200);
    expect(await page.locator('h1').innerText()).toBe('Rapport RSA — Pas-de-Calais (62)');
    // The hours breakdowns too, within its Département.
    await page.goto(`${session.url}/rapports?groupBy=category`);
    expect(await page.locator('main').innerText()).toContain('Bénéficiaire du RSA');
  });

  it('the hours breakdowns, with their downloads; refused to a contractor', async () => {
    const page = await signIn('f@plie.fr');
    await page.goto(`${session.url}/rapports`);
    await page.getByRole('link', { name: 'Tranche d’âge' }).click();
    await page.waitForURL(/par=ageBand/);
    expect(await page.locator('h2#t-table').innerText()).toBe('Heures par tranche d’âge');
    await page.getByLabel('Puis par (facultatif)').selectOption('year');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.waitForURL(/puis=year/);
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: 'Télécharger le tableau (CSV)' }).getAttribute('href')).toContain(
      '/rapports/heures.csv?',
    );
    await check(page, 'rapports-tranche-age');
    // The RSA report, for a facilitator: the attestation form is there.
    await page.goto(`${session.url}/rapports/rsa?departement=62&from=2024-01&to=2024-06`);
    await page.getByRole('button', { name: 'Délivrer l’attestation RSA' }).click();
    await page.waitForURL(/attestation=ATT-/);
    expect(await page.getByRole('status').first().innerText()).toMatch(/Attestation RSA ATT-\d{4}-\d{6} délivrée/);
    await check(page, 'rapport-rsa-facilitateur');

    const contractor = await signIn('e@btp.fr');
    for (const p of ['/rapports', '/rapports/rsa']) {
      const r = await contractor.goto(`${session.url}${p}`);
      expect(r?.status()).toBe(403);
    }
    const missing = await contractor.goto(`${session.url}/admin/nulle-part`);
    expect(missing?.status()).toBe(404);
  });

  it('the admin creates an account (token shown once), disables it, reopens a month, filters the log', async () => {
    const page = await signIn('admin@erbm.fr');
    await page.getByRole('link', { name: 'Comptes', exact: true }).click();
    await check(page, 'admin-comptes-liste');
    await page.getByRole('button', { name: 'Créer un compte' }).click();
    // Refused first: the message next to its field, and the summary links to it.
    await page.getByLabel('Rôle').selectOption('departement');
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await expect.poll(() => page.locator('#e-name').innerText()).toBe('Nom obligatoire.');
    expect(await page.locator('#f-name').getAttribute('aria-describedby')).toContain('e-name');
    await check(page, 'admin-nouveau-compte-erreurs');
    await page.getByLabel(/^Nom/).fill('Conseil départemental du Nord');
    await page.getByLabel('Département').selectOption('59');
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await page.waitForURL(/\/admin\/comptes\/\d+\?fait=cree/);
    const token = await page.locator('#jeton').innerText();
    expect(token.length).toBeGreaterThan(20);
    await t.http.get('/api/v1/reports/rsa?departement=59').set('Authorization', `Bearer ${token}`).expect(200);
    await check(page, 'admin-compte-jeton');
    await page.reload();
    expect(await page.locator('#jeton').count()).toBe(0);
    expect(await page.locator('main').innerText()).not.toContain(token);
    await page.getByRole('button', { name: 'Désactiver le compte' }).click();
    await page.waitForURL(/fait=desactive/);
    expect(await page.getByRole('status').first().innerText()).toContain('Compte désactivé');
    await t.http.get('/api/v1/reports/rsa?departement=59').set('Authorization', `Bearer ${token}`).expect(401);

    await page.getByRole('link', { name: 'Mois clos', exact: true }).click();
    await check(page, 'admin-mois');
    // The reason is required: the browser keeps the form until it is given (the server says so too).
    const reason = page.getByLabel('Motif de réouverture de 02/2024 pour PLIE Lens-Liévin / Hénin-Carvin');
    await page.getByRole('button', { name: 'Rouvrir 02/2024 pour PLIE Lens-Liévin / Hénin-Carvin' }).click();
    expect(await reason.evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).toBe(true);
    expect(page.url()).toBe(`${session.url}/admin/mois`);
    await reason.fill('Heures de février oubliées');
    await page.getByRole('button', { name: 'Rouvrir 02/2024 pour PLIE Lens-Liévin / Hénin-Carvin' }).click();
    await page.waitForURL(/rouvert=/);
    expect(await page.locator('main').innerText()).toContain('Aucun mois clos.');

    await page.getByRole('link', { name: 'Journal', exact: true }).click();
    await page.getByLabel('Action').fill('month.');
    await page.getByLabel('Du (jj/mm/aaaa)').fill('24/11/2026');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/action=month\./);
    const actions = await page.locator('tbody td code').allInnerTexts();
    expect(actions).toEqual(['month.reopen', 'month.close']);
    expect(await page.locator('tbody').innerText()).toContain('motif : Heures de février oubliées');
    await check(page, 'admin-journal');
    await page.getByLabel('Objet').selectOption('account');
    await page.getByLabel('Action').fill('');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/entity=account/);
    const accountActions = await page.locator('tbody td code').allInnerTexts();
    expect(accountActions).toContain('account.disable');
    expect(
      accountActions.every((a) => a.startsWith('account.') || a.startsWith('login.') || a.startsWith('token.')),
    ).toBe(true);
  });
});
