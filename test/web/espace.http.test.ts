import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract, SIRET_A, SIRET_B } from '../helpers/fixtures.js';
import { PASSWORD, accountWithPassword, loginAs } from '../helpers/web.js';

// "Mon espace" shows each role its own figures, and nothing of another scope.
describe.each(engines)('Mon espace per role [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    await seedContract(t, {
      marche: 'MA-1',
      contract: 'CA-1',
      participant: 'PA-1',
      categories: ['RSA'],
      rsaDepartement: '62',
    });
    await seedContract(t, {
      marche: 'MB-1',
      contract: 'CB-1',
      participant: 'PB-1',
      cite: 'mouchonniere-douai',
      siret: SIRET_B,
      structure: 'plie-douaisis',
    });
    await postHours(t, 'CA-1', '2024-03', '100').expect(201);
    await postHours(t, 'CB-1', '2024-03', '50').expect(201);
  });
  afterEach(async () => t.destroy());

  const espaceOf = async (o: Parameters<typeof accountWithPassword>[1] & { email: string }) => {
    await accountWithPassword(t, o);
    const { agent } = await loginAs(t, o.email, PASSWORD);
    return (await agent.get('/espace').expect(200)).text;
  };

  it('facilitator: its structure’s marchés only', async () => {
    const html = await espaceOf({ email: 'f@douai.fr', structure: 'plie-douaisis' });
    expect(html).toContain('MB-1');
    expect(html).not.toContain('MA-1');
    expect(html).toContain('150\u00a0h'); // programme total
  });

  it('contractor: its marchés only', async () => {
    const html = await espaceOf({ email: 'c@btp.fr', role: 'contractor', contractor: SIRET_A });
    expect(html).toContain('Vos marchés');
    expect(html).toContain('MA-1');
    expect(html).not.toContain('MB-1');
  });

  it('Département: its aggregates, no marché, no name', async () => {
    const html = await espaceOf({ email: 'd@pdc.fr', role: 'departement', departement: '62' });
    expect(html).toContain('Votre Département');
    expect(html).toMatch(/100\u00a0h<\/strong><span>réalisées dans les cités du Département/);
    for (const hidden of ['MA-1', 'MB-1', 'Martin', '1990-05-10']) expect(html).not.toContain(hidden);
  });

  it('admin: every marché', async () => {
    const html = await espaceOf({ email: 'a@prog.fr', role: 'admin' });
    expect(html).toContain('Tous les marchés');
    expect(html).toContain('MA-1');
    expect(html).toContain('MB-1');
  });
});
