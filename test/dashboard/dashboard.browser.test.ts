import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract } from '../helpers/fixtures.js';
import { hasChromium, openBrowserOn } from '../helpers/browser.js';

describe.skipIf(!hasChromium)('public dashboard in Chromium', () => {
  let t: TestApp;
  let session: Awaited<ReturnType<typeof openBrowserOn>>;

  beforeAll(async () => {
    t = await makeTestApp('sqlite');
    await seedContract(t, { contract: 'C-1', categories: ['RSA'], rsaDepartement: '62', birthDate: '2001-01-01' });
    await seedContract(t, {
      contract: 'C-2',
      participant: 'P-2',
      marche: 'M-9',
      cite: 'darcy-henin',
      start: '2023-01-01',
      end: '2024-12-31',
    });
    await postHours(t, 'C-1', '2024-03', '151,67').expect(201);
    await postHours(t, 'C-2', '2023-06', '120').expect(201);
    await postHours(t, 'C-2', '2024-06', '35,5').expect(201);
    session = await openBrowserOn(t.app);
  });
  afterAll(async () => {
    await session?.close();
    await t?.destroy();
  });

  it('shows the progress against 360 000 h with French numbers and charts', async () => {
    const page = await session.browser.newPage({ viewport: { width: 1100, height: 1400 } });
    await page.goto(`${session.url}/tableau-de-bord`);
    const text = await page.locator('body').innerText();
    expect(text).toContain('307,17\u00a0h réalisées sur 360\u202f000\u00a0h');
    expect(text).toMatch(/soit 0,1\s%/);
    expect(text).toContain('Cité Darcy');
    expect(await page.locator('svg.chart').count()).toBe(2);
    expect(await page.locator('progress').count()).toBe(1);
    fs.mkdirSync('test/output', { recursive: true });
    await page.screenshot({ path: 'test/output/dashboard.png', fullPage: true });
  });

  it('filters by period, and explains a bad period in French', async () => {
    const page = await session.browser.newPage();
    await page.goto(`${session.url}/tableau-de-bord`);
    await page.fill('input[name=from]', '01/2024');
    await page.click('button[type=submit]');
    await expect.poll(() => page.url()).toContain('from=01%2F2024');
    expect(await page.locator('.lead').innerText()).toContain('187,17\u00a0h');
    const bad = await page.goto(`${session.url}/tableau-de-bord?from=13/2024`);
    expect(bad?.status()).toBe(400);
    expect(await page.locator('[role=alert]').innerText()).toContain('Période invalide');
  });
});
