import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { rowCounts } from '../helpers/fixtures.js';
import { csv, HOURS_HEADER, hoursLine, MARCHES_HEADER, marcheLine, postCsv } from '../helpers/imports.js';

describe.each(engines)('marchés import over HTTP [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
  });
  afterEach(async () => {
    await t.destroy();
  });

  it('creates, then updates only what changed, and a dry run writes nothing', async () => {
    const file = csv(
      MARCHES_HEADER,
      [
        marcheLine(),
        marcheLine({ ref: 'M-2', title: 'Lot 2 ; menuiseries', required: '1200,5' }).replace(
          'Lot 2 ; menuiseries',
          '"Lot 2 ; menuiseries"',
        ),
      ],
      '\r\n',
    );
    const before = await rowCounts(t);
    const dry = await postCsv(t, 'marches', file).expect(200);
    expect(dry.body).toEqual({
      dryRun: true,
      rows: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
      format: 'csv',
      encoding: 'utf-8',
      twoDigitYears: 0,
      errors: [],
    });
    expect(await rowCounts(t)).toEqual(before);
    await postCsv(t, 'marches', file, { apply: true }).expect(200);
    const m2 = await t.http.get('/api/v1/marches/M-2').set('Authorization', t.admin).expect(200);
    expect(m2.body).toMatchObject({
      title: 'Lot 2 ; menuiseries',
      requiredHours: 1200.5,
      startDate: '2024-01-01',
      endDate: '2025-12-31',
    });
    const changed = csv(MARCHES_HEADER, [
      marcheLine(),
      marcheLine({ ref: 'M-2', title: 'Lot 2 bis', required: '1200,5' }),
    ]);
    const r = await postCsv(t, 'marches', changed, { apply: true }).expect(200);
    expect(r.body).toMatchObject({ dryRun: false, rows: 2, created: 0, updated: 1, unchanged: 1, errors: [] });
    expect(await t.db('audit_log').where({ action: 'marche.update' }).count({ n: '*' }).first()).toMatchObject({
      n: 1,
    });
  });

  it('reports unknown cités, bad SIRETs, bad amounts, dates and duplicates, and writes nothing', async () => {
    const before = await rowCounts(t);
    const file = csv(MARCHES_HEADER, [
      marcheLine({ cite: 'cite-inconnue' }),
      marcheLine({ ref: 'M-2', siret: '73282932000075' }),
      marcheLine({ ref: 'M-3', required: '10,123', start: '31/02/2024' }),
      marcheLine({ ref: 'M-4', start: '2025-01-01', end: '2024-01-01' }),
      marcheLine({ ref: 'M-5', siret: '54205118000066', name: '' }),
      marcheLine({ ref: 'M-4' }),
    ]);
    const r = await postCsv(t, 'marches', file, { apply: true }).expect(422);
    expect(r.body).toMatchObject({ dryRun: false, rows: 6, created: 0, updated: 0, unchanged: 0 });
    expect(r.body.errors.map((e: any) => [e.line, e.column])).toEqual([
      [2, 'cite_code'],
      [3, 'contractor_siret'],
      [4, 'required_hours'],
      [4, 'start_date'],
      [5, 'end_date'],
      [6, 'contractor_name'],
      [7, 'marche_ref'],
    ]);
    expect(r.body.errors[0].message).toMatch(/Cité « cite-inconnue » inconnue/);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('moves the hours of a marché re-imported on another cité, in the reports too', async () => {
    await postCsv(t, 'marches', csv(MARCHES_HEADER, [marcheLine()]), { apply: true }).expect(200);
    await postCsv(t, 'hours', csv(HOURS_HEADER, [hoursLine({ hours: '10' })]), { apply: true }).expect(200);
    const byCite = async () =>
      Object.fromEntries(
        (await t.http.get('/api/v1/progress').expect(200)).body.byCite
          .filter((c: any) => c.hours)
          .map((c: any) => [c.code, c.hours]),
      );
    expect(await byCite()).toEqual({ 'cite-4-lens': 10 });
    await postCsv(t, 'marches', csv(MARCHES_HEADER, [marcheLine({ cite: 'genettes-lievin' })]), { apply: true }).expect(
      200,
    );
    expect(await byCite()).toEqual({ 'genettes-lievin': 10 });
  });

  it('keeps a facilitator to the cités of its structure', async () => {
    const fac = await t.tokenFor('facilitator', { structure: 'plie-bethune' });
    const r = await postCsv(t, 'marches', csv(MARCHES_HEADER, [marcheLine()]), { apply: true, auth: fac }).expect(422);
    expect(r.body.errors).toEqual([
      { line: 2, column: 'cite_code', message: expect.stringMatching(/hors du périmètre/) },
    ]);
    const dep = await t.tokenFor('departement', { departement: '62' });
    await postCsv(t, 'marches', csv(MARCHES_HEADER, [marcheLine()]), { auth: dep }).expect(403);
    await t.http.get('/api/v1/imports').set('Authorization', dep).expect(403);
  });
});
