import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract, SIRET_A } from '../helpers/fixtures.js';

const header =
  'marche_ref;cite_code;title;contractor_siret;contractor_name;amount_eur;required_hours;start_date;end_date';
const row = (cite: string) =>
  `M-1;${cite};Réhabilitation de 120 logements;${SIRET_A};BTP du Nord;1200000;5000;01/01/2024;31/12/2025`;

describe.each(engines)('a marché moved to another cité by re-import [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp(engine)));
  afterEach(async () => t.destroy());

  it('moves its hours and beneficiaries in the reports', async () => {
    await seedContract(t, { cite: 'cite-4-lens' });
    await postHours(t, 'C-1', '2024-03', '100').expect(201);
    const r = await t.http
      .post('/api/v1/imports/marches?dryRun=false')
      .set('Authorization', t.admin)
      .set('Content-Type', 'text/csv')
      .send(`${header}\n${row('darcy-henin')}\n`)
      .expect(200);
    expect(r.body).toMatchObject({ updated: 1, created: 0 });
    const p = await t.http.get('/api/v1/progress').expect(200);
    const byCite = Object.fromEntries(p.body.byCite.map((c: any) => [c.code, [c.hours, c.beneficiaries]]));
    expect(byCite['cite-4-lens']).toEqual([0, 0]);
    expect(byCite['darcy-henin']).toEqual([100, 1]);
    expect(p.body.realisedHours).toBe(100);
  });
});
