import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, SIRET_B, seedContract } from '../helpers/fixtures.js';

// Small cells (docs/reports.md): a breakdown cell crossed with a person attribute that
// describes fewer than 3 persons is suppressed outside the viewer's own scope; totals stay exact.

type Row = Record<string, unknown>;

describe.each(engines)('statistical disclosure control [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    // M-1 (Lens, PLIE Lens-Hénin, 62): one person, 50+, RSA. M-2 (Douai, PLIE du Douaisis, 59): three.
    await seedContract(t, { birthDate: '1960-01-01', categories: ['RSA'], rsaDepartement: '62' });
    await postHours(t, 'C-1', '2024-03', '10').expect(201);
    for (const n of [2, 3, 4]) {
      await seedContract(t, {
        marche: 'M-2',
        cite: 'mouchonniere-douai',
        siret: SIRET_B,
        participant: `P-${n}`,
        contract: `C-${n}`,
        structure: 'plie-douaisis',
      });
      await postHours(t, `C-${n}`, '2024-03', '20').expect(201);
    }
  });
  afterEach(async () => t.destroy());

  const report = async (groupBy: string, auth: string) =>
    (await t.http.get(`/api/v1/reports/hours?groupBy=${groupBy}`).set('Authorization', auth).expect(200)).body as {
      rows: Row[];
      totals: Row;
    };
  const cell = (rows: Row[], key: string, value: string) => rows.find((r) => r[key] === value)!;

  it('suppresses a 1-person cell of another scope, keeps it in one’s own, totals exact', async () => {
    const facB = await t.tokenFor('facilitator', { structure: 'plie-douaisis' });
    const b = await report('marche,sex', facB);
    expect(cell(b.rows, 'marche', 'M-1')).toEqual({
      marche: 'M-1',
      marcheLabel: 'Réhabilitation de 120 logements',
      sex: 'F',
      sexLabel: 'Femme',
      hours: null,
      beneficiaries: null,
      contracts: null,
      suppressed: true,
    });
    expect(cell(b.rows, 'marche', 'M-2')).toMatchObject({ hours: 60, beneficiaries: 3, contracts: 3 });
    expect(cell(b.rows, 'marche', 'M-2')).not.toHaveProperty('suppressed');
    expect(b.totals).toEqual({ hours: 70, beneficiaries: 4, contracts: 4 });

    const facA = await t.tokenFor('facilitator', { structure: 'plie-lens-henin' });
    expect(cell((await report('marche,sex', facA)).rows, 'marche', 'M-1')).toMatchObject({
      hours: 10,
      beneficiaries: 1,
    });
    expect(cell((await report('marche,sex', t.admin)).rows, 'marche', 'M-1')).toMatchObject({ beneficiaries: 1 });
    // A Département's own scope is its cités.
    const dep62 = await t.tokenFor('departement', { departement: '62' });
    const dep59 = await t.tokenFor('departement', { departement: '59' });
    expect(cell((await report('cite,category', dep62)).rows, 'cite', 'cite-4-lens')).toMatchObject({ hours: 10 });
    expect(cell((await report('cite,category', dep59)).rows, 'cite', 'cite-4-lens')).toMatchObject({
      hours: null,
      suppressed: true,
    });
  });

  it('applies to every person attribute, with or without a period, and not to place-only cells', async () => {
    const facB = await t.tokenFor('facilitator', { structure: 'plie-douaisis' });
    for (const groupBy of ['ageBand', 'year,ageBand', 'category', 'epci,ageBand', 'structure,sex']) {
      const small = (await report(groupBy, facB)).rows.filter((r) => r.beneficiaries === 1 || r.beneficiaries === 2);
      expect(small, groupBy).toEqual([]);
    }
    expect(cell((await report('ageBand', facB)).rows, 'ageBand', '50+')).toMatchObject({ suppressed: true });
    // No person attribute: the marché's count is not about who the people are.
    expect(cell((await report('marche', facB)).rows, 'marche', 'M-1')).toMatchObject({ beneficiaries: 1 });
    // Exports carry the same blanks.
    const csv = await t.http.get('/api/v1/reports/hours.csv?groupBy=marche,sex').set('Authorization', facB);
    expect(csv.text).toContain('M-1;Réhabilitation de 120 logements;F;Femme;;;\r\n');
  });

  it('keeps the public dashboard to the same rule', async () => {
    const page = await t.http.get('/tableau-de-bord').expect(200);
    // One RSA beneficiary in the programme, in the Pas-de-Calais: neither figure is shown.
    expect(page.text).not.toMatch(/pour 1 bénéficiaire du RSA/);
    expect(page.text).toContain('moins de 3 bénéficiaires du RSA');
    const row62 = /<tr><th scope="row">Pas-de-Calais \(62\)<\/th>.*?<\/tr>/.exec(page.text)?.[0] ?? '';
    expect(row62).toContain('masqué');
    // Three or more: shown.
    await seedContract(t, { participant: 'P-5', contract: 'C-5', categories: ['RSA'], rsaDepartement: '62' });
    await seedContract(t, { participant: 'P-6', contract: 'C-6', categories: ['RSA'], rsaDepartement: '62' });
    await postHours(t, 'C-5', '2024-03', '1').expect(201);
    await postHours(t, 'C-6', '2024-03', '1').expect(201);
    const again = await t.http.get('/tableau-de-bord').expect(200);
    expect(again.text).toContain('pour 3 bénéficiaires du RSA');
  });
});
