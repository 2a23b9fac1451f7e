import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { type AxeViolation, seriousViolations } from '../helpers/axe.js';
import { hasChromium, launchChromium, serve } from '../helpers/browser.js';
import { engines } from '../helpers/db.js';
import { SIRET_A, SIRET_B, SIRET_ETTI } from '../helpers/fixtures.js';
import { HOURS_HEADER, hoursLine } from '../helpers/imports.js';
import { PASSWORD, accountWithPassword } from '../helpers/web.js';

// Each role's main job, done in Chromium the way a person does it (labels, buttons), on
// both engines; axe-core checks every page of the journeys (no serious or critical issue).
// The Département's and the admin's jobs are in ./reports-admin.browser.test.ts.

if (!hasChromium) console.warn('Chromium absent (/usr/bin/chromium) : parcours navigateur sautés.');

const NNBSP = '\u202f';

describe.skipIf(!hasChromium)('journeys in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it('axe-core finds what it should (a field without a label)', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.setContent('<!doctype html><html lang="fr"><title>Essai</title><main><input name="x"></main></html>');
    expect((await seriousViolations(page)).map((v) => v.id)).toContain('label');
    await context.close();
  });

  describe.each(engines)('[%s]', (engine) => {
    let t: TestApp;
    let server: Awaited<ReturnType<typeof serve>>;
    const violations: AxeViolation[] = [];
    const contexts: BrowserContext[] = [];

    beforeAll(async () => {
      t = await makeTestApp(engine);
      for (const [ref, siret, name] of [
        ['M-1', SIRET_A, 'BTP du Nord'],
        ['M-B', SIRET_B, 'Bâtiment Artois'],
      ])
        await t.http
          .post('/api/v1/marches')
          .set('Authorization', t.admin)
          .send({
            ref,
            citeCode: 'cite-4-lens',
            title: 'Réhabilitation de 120 logements',
            contractorSiret: siret,
            contractorName: name,
            amountEur: '1200000',
            requiredHours: '5000',
            startDate: '2024-01-01',
            endDate: '2027-12-31',
          })
          .expect(201);
      await accountWithPassword(t, { email: 'camille@plie.fr' });
      await accountWithPassword(t, { email: 'contact@btp.fr', role: 'contractor', contractor: SIRET_A.slice(0, 9) });
      await accountWithPassword(t, { email: 'rsa@pasdecalais.fr', role: 'departement', departement: '62' });
      await accountWithPassword(t, { email: 'admin@erbm.fr', role: 'admin' });
      server = await serve(t.app);
    });
    afterAll(async () => {
      for (const c of contexts) await c.close();
      await server?.close();
      await t?.destroy();
    });

    /** A fresh browser (its own cookies), signed in through the login form. */
    async function signIn(email: string): Promise<Page> {
      const context = await browser.newContext({ bypassCSP: true, acceptDownloads: true });
      contexts.push(context);
      context.setDefaultTimeout(5000);
      const page = await context.newPage();
      await page.goto(`${server.url}/login`);
      await check(page);
      await page.getByLabel('Adresse électronique').fill(email);
      await page.getByLabel('Mot de passe').fill(PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(`${server.url}/espace`);
      await check(page);
      return page;
    }
    async function check(page: Page) {
      expect(await page.getAttribute('html', 'lang')).toBe('fr');
      expect(await page.title()).not.toBe('');
      violations.push(...(await seriousViolations(page)));
    }
    async function go(page: Page, path: string) {
      const r = await page.goto(`${server.url}${path}`);
      await check(page);
      return r;
    }
    const monthTotal = async (contract: string, month: string) =>
      Number(
        (
          await t
            .db('contract_months as cm')
            .join('contracts as c', 'c.id', 'cm.contract_id')
            .where({ 'c.ref': contract, 'cm.month': month })
            .first('cm.centihours')
        )?.centihours ?? 0,
      );

    it('facilitator: participant, contract, month grid, closing, imports, attestation', async () => {
      const page = await signIn('camille@plie.fr');
      expect(await page.locator('header').innerText()).toContain('Camille Facilitatrice');
      expect(await page.locator('header').innerText()).toContain('PLIE Lens-Liévin');

      await go(page, '/participants/nouveau');
      await page.getByLabel('Référence du participant').fill('P-100');
      await page.getByLabel('Nom', { exact: true }).fill('Durand');
      await page.getByLabel('Prénom').fill('Inès');
      await page.getByLabel('Date de naissance').fill('32/01/2001');
      await page.getByLabel('Sexe').selectOption('F');
      await page.getByRole('button', { name: 'Créer le participant' }).click();
      await check(page);
      // The API's French message, next to its field.
      expect(await page.locator('#e-birthDate').innerText()).toContain('Date « 32/01/2001 » invalide');
      expect(await page.getByLabel('Date de naissance').getAttribute('aria-describedby')).toContain('e-birthDate');
      await page.getByLabel('Date de naissance').fill('10/05/2001');
      await page.getByRole('button', { name: 'Créer le participant' }).click();
      await page.waitForURL(/\/participants\/P-100/);
      await check(page);
      expect(await page.locator('main').innerText()).toContain('Inès Durand');

      await page.getByRole('button', { name: 'Nouveau contrat pour ce participant' }).click();
      await check(page);
      await page.getByLabel('Référence du contrat').fill('C-100');
      await page.getByLabel('Marché').selectOption('M-1');
      await page.getByLabel('SIRET de l’employeur').fill(SIRET_ETTI);
      await page.getByLabel('Type de contrat').selectOption('CDD');
      await page.getByLabel('Mode').selectOption('ETTI');
      await page.getByLabel('Date de début').fill('01/02/2024');
      await page.getByLabel('Date de fin').fill('31/12/2024');
      await page.getByLabel('Bénéficiaire du RSA').check();
      await page.getByLabel('Département payeur du RSA').selectOption('62');
      await page.getByRole('button', { name: 'Créer le contrat' }).click();
      await page.waitForURL(/\/contrats\/C-100/);
      await check(page);
      expect(await page.locator('main').innerText()).toContain('Jeune de moins de 26 ans (calculée)');

      // The month grid: a bad cell is refused next to it, and nothing is saved.
      await go(page, '/saisie?mois=2024-03');
      const cell = page.getByLabel(/C-100/);
      await cell.fill('300');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await check(page);
      const describedBy = await page.getByLabel(/C-100/).getAttribute('aria-describedby');
      expect(await page.locator(`#${describedBy}`).innerText()).toContain('dépasserait 235');
      expect(await monthTotal('C-100', '2024-03')).toBe(0);
      // The totals follow the typing (script), then the good value is saved.
      await page.getByLabel(/C-100/).fill('151,67');
      expect(await page.locator('[data-total-for="M-1"]').innerText()).toBe('151,67\u00a0h');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.waitForURL(/ok=enregistre/);
      expect(await page.locator('[role=status]').innerText()).toContain('Une cellule enregistrée.');
      // Saving again (the same totals) changes nothing.
      await page.getByLabel(/C-100/).fill('151,67');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.waitForURL(/ok=rien/);
      expect(await monthTotal('C-100', '2024-03')).toBe(15167);
      expect(await t.db('hour_entries').count({ n: '*' }).first()).toMatchObject({ n: 1 });
      await check(page);

      // Closing the month makes it read-only, saying who closed it.
      await page.getByRole('button', { name: 'Clôturer le mois' }).click();
      await page.waitForURL(/ok=clos/);
      await check(page);
      expect(await page.locator('main').innerText()).toContain('par Camille Facilitatrice');
      expect(await page.getByLabel(/C-100/).count()).toBe(0);

      // Imports: a file with errors (by line and column), then a good one, checked then applied.
      await go(page, '/imports');
      const bad = [
        HOURS_HEADER,
        hoursLine({ contract: 'C-200', participant: 'P-200', hours: '12,345', month: '04/2024' }),
        hoursLine({ marche: 'M-404', contract: 'C-201', participant: 'P-201', month: '04/2024' }),
      ].join('\n');
      await page
        .getByLabel('Fichier CSV')
        .setInputFiles({ name: 'heures.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
      await page.getByLabel('Type de fichier').selectOption('Heures');
      await page.getByRole('button', { name: 'Vérifier' }).click();
      await check(page);
      const errorsTable = await page.locator('table').first().innerText();
      expect(errorsTable).toMatch(/2\s+hours\s+.*deux décimales/i);
      expect(errorsTable).toMatch(/3\s+marche_ref\s+Marché « M-404 » inconnu/);
      expect(await page.getByRole('button', { name: 'Importer' }).count()).toBe(0);
      const good = [
        HOURS_HEADER,
        hoursLine({ contract: 'C-200', participant: 'P-200', hours: '80', month: '04/2024' }),
        hoursLine({ contract: 'C-200', participant: 'P-200', hours: '90,5', month: '05/2024' }),
      ].join('\n');
      await page
        .getByLabel('Fichier CSV')
        .setInputFiles({ name: 'heures.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
      await page.getByLabel('Type de fichier').selectOption('Heures');
      await page.getByRole('button', { name: 'Vérifier' }).click();
      await check(page);
      expect(await page.locator('main').innerText()).toContain('Fichier valide');
      expect(await monthTotal('C-200', '2024-04')).toBe(0); // checked, not written
      await page.getByRole('button', { name: 'Importer' }).click();
      await page.waitForURL(/importe=/);
      await check(page);
      expect(await page.locator('[role=status]').innerText()).toContain('Fichier importé');
      expect(await monthTotal('C-200', '2024-05')).toBe(9050);

      // The lists, where a facilitator finds what it created.
      for (const [path, text] of [
        ['/participants?q=durand', 'P-100'],
        ['/contrats?statut=termine', 'C-100'],
        ['/marches?q=Réhabilitation', 'M-1'],
        ['/entreprises', 'BTP du Nord'],
        ['/contrats/C-200', '(import n°'],
      ]) {
        await go(page, path);
        expect(await page.locator('main').innerText()).toContain(text);
      }

      // An attestation for the marché.
      await go(page, '/marches/M-1');
      await page.getByRole('button', { name: 'Délivrer l’attestation' }).click();
      await page.waitForURL(/ok=delivree/);
      await check(page);
      expect(await page.locator('[role=status]').innerText()).toMatch(/Attestation ATT-2026-000001 délivrée/);
      fs.mkdirSync('test/output', { recursive: true });
      await page.screenshot({ path: `test/output/journey-attestations-${engine}.png`, fullPage: true });
    }, 120_000);

    it('contractor: its marché and attestation; 404 on another’s', async () => {
      const page = await signIn('contact@btp.fr');
      const home = await page.locator('main').innerText();
      expect(home).toContain('M-1');
      expect(home).not.toContain('M-B');
      await go(page, '/marches/M-1');
      const text = await page.locator('main').innerText();
      expect(text).toContain(`5${NNBSP}000\u00a0h\nexigées`);
      expect(text).toContain('322,17\u00a0h\nréalisées');
      expect(text).toContain('restantes');
      expect(text).toMatch(/Statut : (En retard|Dans les temps)/);
      expect(await page.getByRole('button', { name: 'Délivrer l’attestation' }).count()).toBe(0);
      await go(page, '/espace');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /ATT-2026-000001/ }).click(),
      ]);
      const pdf = fs.readFileSync((await download.path())!);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const other = await go(page, '/marches/M-B');
      expect(other?.status()).toBe(404);
      expect(await page.locator('h1').innerText()).toBe('Page introuvable');
    });

    it('every page of the journeys passes axe-core (no serious or critical violation)', () => {
      expect(violations).toEqual([]);
    });
  });
});
