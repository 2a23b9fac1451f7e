import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { SIRET_A, SIRET_B, postHours, seedContract } from '../helpers/fixtures.js';

describe.each(engines)('reports over HTTP [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
  });
  afterEach(async () => {
    await t.destroy();
  });
  const get = (url: string, auth = t.admin) => t.http.get(url).set('Authorization', auth);
  const rowsOf = async (groupBy: string, qs = '') =>
    (await get(`/api/v1/reports/hours?groupBy=${groupBy}${qs}`).expect(200)).body;

  it('counts a participant in two categories in each, and once in the totals', async () => {
    await seedContract(t, { categories: ['RSA', 'QPV'], rsaDepartement: '62' });
    await postHours(t, 'C-1', '2024-03', '100').expect(201);
    const b = await rowsOf('category');
    expect(b.rows.map((r: any) => [r.category, r.beneficiaries, r.hours])).toEqual([
      ['QPV', 1, 100],
      ['RSA', 1, 100],
    ]);
    expect(b.rows[1].categoryLabel).toBe('Bénéficiaire du RSA');
    expect(b.totals).toEqual({ hours: 100, beneficiaries: 1, contracts: 1 });
  });

  it('counts a participant in two cités once in the programme and once in each cité', async () => {
    await seedContract(t);
    await seedContract(t, { marche: 'M-2', cite: 'darcy-henin', contract: 'C-2' });
    await postHours(t, 'C-1', '2024-03', '10').expect(201);
    await postHours(t, 'C-2', '2024-04', '20').expect(201);
    const p = (await t.http.get('/api/v1/progress').expect(200)).body;
    expect([p.realisedHours, p.beneficiaries, p.contracts]).toEqual([30, 1, 2]);
    const cites = p.byCite.filter((c: any) => c.hours > 0).map((c: any) => [c.code, c.beneficiaries]);
    expect(cites).toEqual([
      ['cite-4-lens', 1],
      ['darcy-henin', 1],
    ]);
    const epci = await rowsOf('epci');
    expect(epci.rows.map((r: any) => [r.epci, r.beneficiaries, r.contracts])).toEqual([
      ['cahc', 1, 1],
      ['call', 1, 1],
    ]);
    const dep = await rowsOf('year,departement');
    expect(dep.rows).toEqual([
      {
        year: 2024,
        departement: '62',
        departementLabel: '62 Pas-de-Calais',
        hours: 30,
        beneficiaries: 1,
        contracts: 2,
      },
    ]);
  });

  it('drops a beneficiary whose hours are corrected back to zero', async () => {
    await seedContract(t, { categories: ['RSA'], rsaDepartement: '59' });
    const r = await postHours(t, 'C-1', '2024-03', '35').expect(201);
    expect((await t.http.get('/api/v1/progress').expect(200)).body).toMatchObject({
      beneficiaries: 1,
      rsa: { beneficiaries: 1 },
    });
    await t.http
      .post(`/api/v1/hour-entries/${r.body.entry.id}/corrections`)
      .set('Authorization', t.admin)
      .set('Idempotency-Key', 'fix-1')
      .send({ hours: 0, reason: 'Heures saisies sur le mauvais contrat' })
      .expect(201);
    const p = (await t.http.get('/api/v1/progress').expect(200)).body;
    expect(p).toMatchObject({ realisedHours: 0, beneficiaries: 0, contracts: 0, rsa: { hours: 0, beneficiaries: 0 } });
    expect(p.byYear).toEqual([{ year: 2024, hours: 0 }]);
    expect((await rowsOf('month')).rows).toEqual([]);
    const rsa = (await get('/api/v1/reports/rsa?departement=59').expect(200)).body;
    expect([rsa.beneficiaries, rsa.contracts, rsa.hours]).toEqual([0, 0, 0]);
  });

  it('keeps the age band of the contract start through a 26th birthday', async () => {
    await seedContract(t, { birthDate: '1998-06-15', start: '2024-02-01', end: '2024-12-31' });
    await seedContract(t, { birthDate: '1998-06-15', contract: 'C-2', start: '2024-07-01', end: '2024-12-31' });
    await postHours(t, 'C-1', '2024-03', '10').expect(201);
    await postHours(t, 'C-1', '2024-09', '10').expect(201);
    await postHours(t, 'C-2', '2024-09', '5').expect(201);
    const b = await rowsOf('ageBand,month');
    // Ordered by age: <26, 26-49, 50+.
    expect(b.rows.map((r: any) => [r.ageBand, r.month, r.hours, r.beneficiaries])).toEqual([
      ['<26', '2024-03', 10, 1],
      ['<26', '2024-09', 10, 1],
      ['26-49', '2024-09', 5, 1],
    ]);
    const p = (await t.http.get('/api/v1/progress').expect(200)).body;
    expect(p.jeune).toEqual({ hours: 20, beneficiaries: 1 });
  });

  it('answers breakdowns to admins, facilitators and Départements only, and refuses bad groupings', async () => {
    await seedContract(t);
    await postHours(t, 'C-1', '2024-03', '10').expect(201);
    await t.http.get('/api/v1/reports/hours?groupBy=cite').expect(401);
    await get('/api/v1/reports/hours?groupBy=cite', await t.tokenFor('contractor', { siret: SIRET_A })).expect(403);
    await get('/api/v1/reports/hours?groupBy=cite', await t.tokenFor('departement', { departement: '59' })).expect(200);
    await get(
      '/api/v1/reports/hours?groupBy=cite',
      await t.tokenFor('facilitator', { structure: 'plie-douaisis' }),
    ).expect(200);
    for (const bad of ['nom', 'year,month', 'cite,epci,mode', 'cite,cite', '']) {
      const r = await get(`/api/v1/reports/hours?groupBy=${bad}`).expect(400);
      expect(r.body.error.details[0].message).toMatch(/regroupement/i);
    }
    await get('/api/v1/reports/hours?groupBy=cite&from=2024-05&to=2024-01').expect(400);
  });

  it('exports a breakdown as CSV (semicolons, decimal comma, BOM) and XLSX', async () => {
    await seedContract(t);
    await postHours(t, 'C-1', '2024-03', '151,67').expect(201);
    const csv = await get('/api/v1/reports/hours.csv?groupBy=year,sex').expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text).toBe('\uFEFFAnnée;Sexe (code);Sexe;Heures;Bénéficiaires;Contrats\r\n2024;F;Femme;151,67;1;1\r\n');
    const same = await get('/api/v1/reports/hours?groupBy=year,sex&format=csv').expect(200);
    expect(same.text).toBe(csv.text);
    const xlsx = await get('/api/v1/reports/hours.xlsx?groupBy=mode')
      .buffer(true)
      .parse((res, cb) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => cb(null, Buffer.concat(parts)));
      })
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).toEqual([undefined, 'Mode (code)', 'Mode', 'Heures', 'Bénéficiaires', 'Contrats']);
    expect(ws.getRow(2).values).toEqual([undefined, 'ETTI', 'ETTI (intérim d’insertion)', 151.67, 1, 1]);
    await get('/api/v1/reports/hours.pdf?groupBy=mode').expect(400);
  });

  it('gives a Département its RSA report (and no one else’s), without names or birth dates', async () => {
    await seedContract(t, { categories: ['RSA'], rsaDepartement: '62', start: '2024-02-01', end: '2024-06-30' });
    await seedContract(t, {
      participant: 'P-2',
      contract: 'C-2',
      categories: ['RSA'],
      rsaDepartement: '59',
      birthDate: '1970-01-01',
    });
    await postHours(t, 'C-1', '2024-03', '40').expect(201);
    await postHours(t, 'C-1', '2024-04', '50').expect(201);
    await postHours(t, 'C-2', '2024-03', '70').expect(201);
    await t.http
      .patch('/api/v1/contracts/C-1/outcome')
      .set('Authorization', t.admin)
      .send({ outcome: 'CDI' })
      .expect(200);
    const d62 = await t.tokenFor('departement', { departement: '62' });
    const r = (await get('/api/v1/reports/rsa?departement=62&from=2024-01&to=2024-12', d62).expect(200)).body;
    expect(r).toMatchObject({ departement: '62', beneficiaries: 1, hours: 90, contracts: 1 });
    expect(r.byContractType).toEqual([
      { contractType: 'CDD', label: 'CDD', contracts: 1, beneficiaries: 1, hours: 90 },
    ]);
    expect(r.byMonth).toEqual([
      { month: '2024-02', hours: 0, beneficiaries: 0, newBeneficiaries: 0, newContracts: 1 },
      { month: '2024-03', hours: 40, beneficiaries: 1, newBeneficiaries: 1, newContracts: 0 },
      { month: '2024-04', hours: 50, beneficiaries: 1, newBeneficiaries: 0, newContracts: 0 },
    ]);
    expect(r.exits.contracts).toBe(1);
    expect(r.exits.byOutcome.find((o: any) => o.outcome === 'CDI').contracts).toBe(1);
    const text = JSON.stringify(r);
    for (const secret of ['Léa', 'Martin', '1990-05-10', 'P-1', 'C-1']) expect(text).not.toContain(secret);
    const csv = await get('/api/v1/reports/rsa.csv?departement=62&from=2024-01&to=2024-12', d62).expect(200);
    expect(csv.headers['content-disposition']).toContain('rapport-rsa-62-de-2024-01-a-2024-12.csv');
    expect(csv.text.split('\r\n').slice(0, 6)).toEqual([
      '\uFEFFRubrique;Libellé;Heures;Bénéficiaires;Nouveaux bénéficiaires;Contrats',
      'Total;Département 62;90;1;;1',
      'Mois;2024-02;0;0;0;1',
      'Mois;2024-03;40;1;1;0',
      'Mois;2024-04;50;1;0;0',
      'Type de contrat;CDD;90;1;;1',
    ]);
    expect(csv.text).toContain('Sortie;Emploi durable : CDI;;;;1\r\n');
    await get('/api/v1/reports/rsa?departement=62&format=xlsx', d62).expect(200).expect('Content-Type', /sheet/);
    await get('/api/v1/reports/rsa?departement=59', d62).expect(403);
    await get('/api/v1/reports/rsa?departement=62', await t.tokenFor('contractor', { siret: SIRET_A })).expect(403);
    await get('/api/v1/reports/rsa?departement=75').expect(400);
  });

  it('records an exit outcome with PATCH, audited, for writers in scope only', async () => {
    await seedContract(t);
    const r = await t.http
      .patch('/api/v1/contracts/C-1/outcome')
      .set('Authorization', t.admin)
      .send({ outcome: 'FORMATION' })
      .expect(200);
    expect(r.body.exitOutcome).toBe('FORMATION');
    await t.http
      .patch('/api/v1/contracts/C-1/outcome')
      .set('Authorization', t.admin)
      .send({ outcome: 'CDD_6M_PLUS' })
      .expect(200);
    const log = await t.db('audit_log').where({ action: 'contract.outcome' }).orderBy('id');
    expect(log.map((l: any) => JSON.parse(l.details))).toEqual([
      { before: null, after: 'FORMATION' },
      { before: 'FORMATION', after: 'CDD_6M_PLUS' },
    ]);
    const bad = await t.http
      .patch('/api/v1/contracts/C-1/outcome')
      .set('Authorization', t.admin)
      .send({ outcome: 'RETRAITE' })
      .expect(400);
    expect(bad.body.error.details[0].message).toMatch(/Sortie inconnue/);
    await t.http
      .patch('/api/v1/contracts/C-1/outcome')
      .set('Authorization', await t.tokenFor('departement', { departement: '62' }))
      .send({ outcome: 'CDI' })
      .expect(403);
    await t.http
      .patch('/api/v1/contracts/C-1/outcome')
      .set('Authorization', await t.tokenFor('facilitator', { structure: 'plie-douaisis' }))
      .send({ outcome: 'CDI' })
      .expect(404);
    await t.http
      .patch('/api/v1/contracts/C-9/outcome')
      .set('Authorization', t.admin)
      .send({ outcome: 'CDI' })
      .expect(404);
  });

  it('tells a contractor where its clause stands, on its own marchés only', async () => {
    // Clock: 2026-11-24. M-1 ran 2024-01-01..2025-12-31 (ended); M-2 runs 2026-01-01..2027-12-31.
    await seedContract(t);
    await t.http
      .post('/api/v1/marches')
      .set('Authorization', t.admin)
      .send({
        ref: 'M-2',
        citeCode: 'cite-4-lens',
        title: 'Lot 2',
        contractorSiret: SIRET_A,
        amountEur: '1000',
        requiredHours: '1000',
        startDate: '2026-01-01',
        endDate: '2027-12-31',
      })
      .expect(201);
    await t.http
      .post('/api/v1/marches')
      .set('Authorization', t.admin)
      .send({
        ref: 'M-3',
        citeCode: 'cite-4-lens',
        title: 'Lot 3',
        contractorSiret: SIRET_B,
        contractorName: 'Autre',
        amountEur: '1000',
        requiredHours: '10',
        startDate: '2026-01-01',
        endDate: '2027-12-31',
      })
      .expect(201);
    await seedContract(t, { marche: 'M-2', contract: 'C-2', start: '2026-01-01', end: '2026-12-31' });
    await postHours(t, 'C-1', '2024-03', '200').expect(201);
    await postHours(t, 'C-2', '2026-02', '235').expect(201);
    await postHours(t, 'C-2', '2026-03', '235').expect(201);
    const mine = await t.tokenFor('contractor', { siret: SIRET_A });
    const m1 = (await get('/api/v1/marches/M-1/compliance', mine).expect(200)).body;
    expect(m1).toMatchObject({
      requiredHours: 5000,
      realisedHours: 200,
      remainingHours: 4800,
      percent: 4,
      status: 'late',
      statusLabel: 'En retard',
      forecastHoursAtEnd: 200,
    });
    const m2 = (await get('/api/v1/marches/M-2/compliance', mine).expect(200)).body;
    // 328 of 730 days elapsed: 449,32 h expected, 470 h realised.
    expect(m2).toMatchObject({
      requiredHours: 1000,
      realisedHours: 470,
      status: 'on_track',
      expectedHoursToDate: 449.32,
      forecastHoursAtEnd: 1046.04,
    });
    await get('/api/v1/marches/M-3/compliance', mine).expect(404);
    const all = (await get(`/api/v1/contractors/${SIRET_A.slice(0, 9)}/compliance`, mine).expect(200)).body;
    expect(all.marches.map((m: any) => [m.marche.ref, m.status])).toEqual([
      ['M-1', 'late'],
      ['M-2', 'on_track'],
    ]);
    expect(all).toMatchObject({ requiredHours: 6000, realisedHours: 670, remainingHours: 5330 });
    await get(`/api/v1/contractors/${SIRET_B}/compliance`, mine).expect(404);
    await postHours(t, 'C-2', '2026-04', '235').expect(201);
    await postHours(t, 'C-2', '2026-05', '235').expect(201);
    await postHours(t, 'C-2', '2026-06', '235').expect(201);
    expect((await get('/api/v1/marches/M-2/compliance').expect(200)).body).toMatchObject({
      status: 'completed',
      remainingHours: 0,
      percent: 117.5,
    });
  });
});
