import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { frozenCategories, parseDeclaredCategories } from '../../src/contracts/categories.js';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract } from '../helpers/fixtures.js';

describe('categories frozen at contract start', () => {
  it('JEUNE at 25 years and 364 days, not on the 26th birthday', () => {
    expect(frozenCategories([], '2000-05-10', '2026-05-09')).toEqual(['JEUNE']);
    expect(frozenCategories([], '2000-05-10', '2026-05-10')).toEqual([]);
  });
  it('SENIOR from the 50th birthday', () => {
    expect(frozenCategories([], '1976-05-10', '2026-05-09')).toEqual([]);
    expect(frozenCategories([], '1976-05-10', '2026-05-10')).toEqual(['SENIOR']);
  });
  it('handles 29 February birthdays (date-fns calendar years)', () => {
    expect(frozenCategories([], '2000-02-29', '2026-02-28')).toEqual(['JEUNE']);
    expect(frozenCategories([], '2000-02-29', '2026-03-01')).toEqual([]);
  });
  it('keeps declared codes in a canonical order, ignores declared JEUNE/SENIOR', () => {
    const r = parseDeclaredCategories('qpv, RSA,JEUNE');
    expect(r).toEqual({ ok: true, categories: ['RSA', 'QPV'] });
    expect(frozenCategories(['RSA', 'QPV'], '1960-01-01', '2024-01-01')).toEqual(['RSA', 'QPV', 'SENIOR']);
  });
  it('refuses unknown codes in French', () => {
    const r = parseDeclaredCategories('RSA,XYZ');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/Catégorie inconnue : XYZ/);
  });
});

describe.each(engines)('contracts carry their frozen categories [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp(engine)));
  afterEach(async () => t.destroy());

  it('a participant turning 26 during a contract stays JEUNE for its hours', async () => {
    await seedContract(t, {
      birthDate: '1998-06-15',
      start: '2024-06-14',
      end: '2024-12-31',
      categories: ['RSA'],
      rsaDepartement: '59',
    });
    await postHours(t, 'C-1', '2024-11', 100).expect(201); // after the 26th birthday
    const c = await t.http.get('/api/v1/contracts/C-1').set('Authorization', t.admin).expect(200);
    expect(c.body.categories).toEqual(['RSA', 'JEUNE']);
    const p = await t.http.get('/api/v1/progress').expect(200);
    expect(p.body.jeune).toEqual({ hours: 100, beneficiaries: 1 });
  });

  it('two contracts of one person may differ (RSA on the first only)', async () => {
    await seedContract(t, { contract: 'C-1', categories: ['RSA'], rsaDepartement: '62' });
    await seedContract(t, { contract: 'C-2', start: '2025-01-01', end: '2025-06-30', categories: [] });
    await postHours(t, 'C-1', '2024-05', 10).expect(201);
    await postHours(t, 'C-2', '2025-02', 20).expect(201);
    const p = await t.http.get('/api/v1/progress').expect(200);
    expect(p.body).toMatchObject({
      realisedHours: 30,
      beneficiaries: 1,
      contracts: 2,
      rsa: { hours: 10, beneficiaries: 1 },
    });
  });

  it('requires the paying Département with RSA, and only with RSA', async () => {
    await expect(seedContract(t, { categories: ['RSA'], rsaDepartement: null })).rejects.toThrow(
      /422.*Département payeur/,
    );
    await expect(seedContract(t, { contract: 'C-9', categories: [], rsaDepartement: '62' })).rejects.toThrow(/422/);
    expect(await t.db('contracts').count({ n: '*' }).first()).toMatchObject({ n: 0 });
  });
});
