// Screenshots of the main pages at desktop (1280 px) and phone (390 px) widths, into
// docs/screens/. Run: npx tsx scripts/screens.ts (needs Debian's Chromium). The data is made
// up here, on an in-memory SQLite database, with a fixed clock.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { chromium, type Page } from 'playwright-core';
import { bootstrapAdmin } from '../src/accounts/bootstrap.js';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import { createDb } from '../src/db/knex.js';
import { prepareDatabase } from '../src/migrate.js';
import { createApp } from '../src/server.js';

const OUT = 'docs/screens';
const TOKEN = 'screens-admin-token-0123456789abcdef';
const PASSWORD = 'un mot de passe pour les captures';
const NOW = new Date('2024-07-15T09:00:00.000Z');

const db = createDb(':memory:');
await prepareDatabase(db);
const config = loadConfig({ ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
const ctx: AppContext = { db, clock: () => NOW, config, logger: pino({ level: 'silent' }) };
await bootstrapAdmin(ctx, TOKEN);
const server = createApp(ctx).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function api(path: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

const marches = [
  ['M-2024-001', 'cite-4-lens', 'Réhabilitation de 120 logements, Cité 4', '73282932000074', 'BTP du Nord', '1800'],
  ['M-2024-002', 'darcy-henin', 'Isolation thermique des façades, Cité Darcy', '73282932000074', 'BTP du Nord', '900'],
  ['M-2024-003', 'cite-9-lens', 'Menuiseries extérieures, Cité 9', '54205118000066', 'Bâtiment Artois', '1200'],
] as const;
for (const [ref, cite, title, siret, name, hours] of marches)
  await api('/marches', {
    ref,
    citeCode: cite,
    title,
    contractorSiret: siret,
    contractorName: name,
    amountEur: '1500000',
    requiredHours: hours,
    startDate: '2024-01-01',
    endDate: '2025-06-30',
  });
const people = [
  ['P-0001', 'Léa', 'Martin', '2001-05-10', 'F', ['RSA'], 'M-2024-001'],
  ['P-0002', 'Karim', 'Benali', '1985-02-01', 'M', ['DELD'], 'M-2024-001'],
  ['P-0003', 'Sophie', 'Lefebvre', '1970-09-23', 'F', ['RSA', 'QPV'], 'M-2024-002'],
  ['P-0004', 'Thomas', 'Dubois', '1999-12-12', 'M', [], 'M-2024-003'],
  ['P-0005', 'Nadia', 'Haddad', '1992-03-30', 'F', ['RQTH'], 'M-2024-001'],
] as const;
let n = 0;
for (const [ref, first, last, birth, sex, cats, marche] of people) {
  n++;
  await api('/participants', {
    ref,
    firstName: first,
    lastName: last,
    birthDate: birth,
    sex,
    structure: 'plie-lens-henin',
  });
  const contract = `C-000${n}`;
  await api('/contracts', {
    ref: contract,
    participantRef: ref,
    marcheRef: marche,
    employerSiret: '44306184100047',
    contractType: n % 2 ? 'CDD' : 'CDDI',
    mode: n % 2 ? 'ETTI' : 'SIAE',
    startDate: '2024-01-15',
    endDate: '2024-12-31',
    categories: cats,
    rsaDepartement: (cats as readonly string[]).includes('RSA') ? '62' : null,
  });
  for (const [i, month] of ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05'].entries())
    await api(
      `/contracts/${contract}/hours`,
      { month, hours: String(80 + ((n * 17 + i * 23) % 70)) },
      { 'Idempotency-Key': `${contract}-${month}` },
    );
}
for (const a of [
  { role: 'facilitator', name: 'Camille Lefèvre', email: 'camille@plie.fr', structure: 'plie-lens-henin' },
  { role: 'contractor', name: 'BTP du Nord', email: 'contact@btp.fr', contractor: '732829320' },
  { role: 'departement', name: 'Conseil départemental 62', email: 'rsa@pasdecalais.fr', departement: '62' },
  { role: 'admin', name: 'Équipe du programme', email: 'admin@erbm.fr' },
])
  await api('/accounts', { ...a, password: PASSWORD });
await api('/attestations', { kind: 'clause', marcheRef: 'M-2024-001' });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
fs.mkdirSync(OUT, { recursive: true });

async function shoot(email: string | null, pages: Array<[string, string]>) {
  for (const width of [1280, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page: Page = await context.newPage();
    if (email) {
      await page.goto(`${base}/login`);
      await page.getByLabel('Adresse électronique').fill(email);
      await page.getByLabel('Mot de passe').fill(PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(`${base}/espace`);
    }
    for (const [name, path] of pages) {
      await page.goto(`${base}${path}`);
      await page.screenshot({ path: `${OUT}/${name}-${width}.png`, fullPage: true });
    }
    await context.close();
  }
}

await shoot(null, [
  ['login', '/login'],
  ['tableau-de-bord', '/tableau-de-bord'],
]);
await shoot('camille@plie.fr', [
  ['facilitateur-accueil', '/espace'],
  ['saisie', '/saisie?mois=2024-05'],
  ['imports', '/imports'],
  ['marche', '/marches/M-2024-001'],
  ['contrat-nouveau', '/contrats/nouveau'],
  ['contrat', '/contrats/C-0001'],
  ['attestations', '/attestations'],
]);
await shoot('contact@btp.fr', [
  ['entreprise-accueil', '/espace'],
  ['page-404', '/marches/M-2024-003'],
]);
await shoot('rsa@pasdecalais.fr', [['rapport-rsa', '/rapports/rsa?from=01/2024&to=12/2024']]);
await shoot('admin@erbm.fr', [
  ['admin-comptes', '/admin/comptes'],
  ['rapports', '/rapports?groupBy=category'],
]);
await browser.close();
server.close();
await db.destroy();
console.log(`Captures écrites dans ${OUT}/`);
