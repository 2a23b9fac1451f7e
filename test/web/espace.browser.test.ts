import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract, SIRET_A } from '../helpers/fixtures.js';
import { hasChromium, openBrowserOn } from '../helpers/browser.js';
import { PASSWORD, accountWithPassword } from '../helpers/web.js';

if (!hasChromium)
  console.warn(
    'Chromium absent (/usr/bin/chromium) : test navigateur de « Mon espace » sauté (apt-get install -y chromium).',
  );

describe.skipIf(!hasChromium)('login and Mon espace in Chromium', () => {
  let t: TestApp;
  let session: Awaited<ReturnType<typeof openBrowserOn>>;

  beforeAll(async () => {
    t = await makeTestApp('sqlite');
    await seedContract(t, { contract: 'C-1', categories: ['RSA'], rsaDepartement: '62' });
    await postHours(t, 'C-1', '2024-03', '151,67').expect(201);
    await accountWithPassword(t, { email: 'camille@plie.example.fr' });
    await accountWithPassword(t, {
      email: 'entreprise@btp.example.fr',
      role: 'contractor',
      contractor: SIRET_A.slice(0, 9),
    });
    session = await openBrowserOn(t.app);
  });
  afterAll(async () => {
    await session?.close();
    await t?.destroy();
  });

  it('logs in, sees the progress bar and its figures, and logs out', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1000, height: 1200 } });
    await page.goto(`${session.url}/`);
    expect(page.url()).toBe(`${session.url}/tableau-de-bord`); // signed out: the public dashboard
    await page.goto(`${session.url}/login`);
    await page.fill('input[name=email]', 'camille@plie.example.fr');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await expect.poll(() => page.url()).toBe(`${session.url}/espace`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Mon espace');
    expect(text).toContain('PLIE Lens-Liévin');
    expect(text).toContain('151,67\u00a0h réalisées sur 360\u202f000\u00a0h');
    expect(text).toContain('M-1');
    expect(text).not.toContain('Martin'); // aggregates only on this page
    expect(await page.locator('progress').count()).toBe(1);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'ihl_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    fs.mkdirSync('test/output', { recursive: true });
    await page.screenshot({ path: 'test/output/espace.png', fullPage: true });
    // The grid's script runs under the app's CSP (no bypass here): totals follow the typing.
    await page.goto(`${session.url}/saisie?mois=2024-03`);
    await page.getByLabel(/C-1/).fill('10,5');
    await expect.poll(() => page.locator('[data-total-for="M-1"]').innerText()).toBe('10,5\u00a0h');
    await page.click('text=Se déconnecter');
    await expect.poll(() => page.url()).toContain('/login?fin=deconnexion');
    expect(await page.locator('[role=status]').innerText()).toContain('Vous êtes déconnecté.');
  });

  it('shows a contractor its marchés, and a wrong password in French', async () => {
    const page = await session.browser.newPage();
    await page.goto(`${session.url}/login`);
    await page.fill('input[name=email]', 'entreprise@btp.example.fr');
    await page.fill('input[name=password]', 'pas le bon mot de passe');
    await page.click('button[type=submit]');
    expect(await page.locator('[role=alert]').innerText()).toContain('Adresse électronique ou mot de passe incorrect.');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await expect.poll(() => page.url()).toBe(`${session.url}/espace`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Vos marchés');
    expect(text).toContain('5\u202f000\u00a0h');
  });
});
