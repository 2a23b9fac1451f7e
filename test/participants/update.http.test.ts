import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract } from '../helpers/fixtures.js';
import { rebuildRollups } from '../../src/reports/rollups/index.js';

// Editing a participant's identity: names (a participant created by an import has none), birth
// date (the age categories of contracts not yet started follow; those of started contracts are
// frozen, so a change that would move them is refused), sex (reports stay exact).
// Today is 24/11/2026 (FIXED_NOW).

const patch = (t: TestApp, ref: string, body: object, auth = t.admin) =>
  t.http.patch(`/api/v1/participants/${ref}`).set('Authorization', auth).send(body);

const categoriesOf = async (t: TestApp, ref: string) =>
  (await t.http.get(`/api/v1/contracts/${ref}`).set('Authorization', t.admin).expect(200)).body.categories;

const rollups = async (t: TestApp) => ({
  hours: (await t.db('report_hours').where('centihours', '!=', 0).orderBy(['programme_id', 'dim', 'key', 'month'])).map(
    (r: Record<string, unknown>) => ({ ...r, centihours: Number(r.centihours) }),
  ),
  counts: await t
    .db('report_counts')
    .where('n', '!=', 0)
    .orderBy(['programme_id', 'dim', 'entity', 'key', 'month', 'prev']),
});

describe.each(engines)('PATCH /participants/:ref [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    // Born 10/05/2001: 22 on 01/02/2024 (started contract), 25 on 01/03/2027 (contract to come).
    await seedContract(t, { contract: 'C-1', birthDate: '2001-05-10', start: '2024-02-01', end: '2024-12-31' });
    await seedContract(t, { contract: 'C-2', birthDate: '2001-05-10', start: '2027-03-01', end: '2027-06-30' });
    await t.db('participants').where({ ref: 'P-1' }).update({ first_name: null, last_name: null });
  });
  afterEach(async () => t.destroy());

  it('names a participant an import created without a name; contractors then see initials', async () => {
    const r = await patch(t, 'P-1', { firstName: 'Léa', lastName: 'Martin' }).expect(200);
    expect(r.body).toEqual({
      ref: 'P-1',
      firstName: 'Léa',
      lastName: 'Martin',
      birthDate: '2001-05-10',
      sex: 'F',
      structure: 'plie-lens-henin',
    });
    const con = await t.tokenFor('contractor', { siren: '732829320' });
    const seen = await t.http.get('/api/v1/participants/P-1').set('Authorization', con).expect(200);
    expect(seen.body).toEqual({ ref: 'P-1', initials: 'L. M.' });
    const line = await t.db('audit_log').where({ action: 'participant.update', entity_ref: 'P-1' }).first();
    expect(JSON.parse(line.details)).toEqual({
      fields: ['first_name', 'last_name'],
      before: {},
      after: {},
      recategorised: [],
    });
    expect(line.details).not.toContain('Martin');
    // Clearing a name, and an unchanged answer, work too.
    expect((await patch(t, 'P-1', { lastName: null }).expect(200)).body.lastName).toBeNull();
    await patch(t, 'P-1', { sex: 'F' }).expect(200);
    expect(await t.db('audit_log').where({ action: 'participant.update' }).count({ n: '*' })).toEqual([{ n: 2 }]);
  });

  it('recomputes JEUNE/SENIOR of contracts not yet started when the birth date changes', async () => {
    expect(await categoriesOf(t, 'C-2')).toEqual(['JEUNE']);
    // Born 10/05/1976: on 01/03/2027 aged 50 (SENIOR); on 01/02/2024 aged 47 would change C-1 (JEUNE): refused.
    const refused = await patch(t, 'P-1', { birthDate: '10/05/1976' }).expect(409);
    expect(refused.body.error.code).toBe('categories_frozen');
    expect(refused.body.error.message).toContain('C-1 (commencé le 01/02/2024)');
    expect(refused.body.error.message).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(await categoriesOf(t, 'C-2')).toEqual(['JEUNE']);

    // Born 01/01/2001: still under 26 on 01/02/2024 (C-1 unchanged), 26 on 01/03/2027 (C-2 loses JEUNE).
    const r = await patch(t, 'P-1', { birthDate: '2001-01-01' }).expect(200);
    expect(r.body.birthDate).toBe('2001-01-01');
    expect(await categoriesOf(t, 'C-1')).toEqual(['JEUNE']);
    expect(await categoriesOf(t, 'C-2')).toEqual([]);
    const c2 = await t.db('contracts').where({ ref: 'C-2' }).first();
    expect(Boolean(c2.cat_jeune)).toBe(false);
    const line = await t.db('audit_log').where({ action: 'participant.update' }).first();
    expect(JSON.parse(line.details)).toMatchObject({
      fields: ['birth_date'],
      before: { birth_date: '2001-05-10' },
      after: { birth_date: '2001-01-01' },
      recategorised: ['C-2'],
    });
  });

  it('keeps the report rollups exact when the sex changes', async () => {
    await postHours(t, 'C-1', '2024-03', '100').expect(201);
    const bySex = async () =>
      (await t.http.get('/api/v1/reports/hours?groupBy=sex').set('Authorization', t.admin).expect(200)).body.rows.map(
        (r: { sex: string; hours: number; beneficiaries: number }) => [r.sex, r.hours, r.beneficiaries],
      );
    expect(await bySex()).toEqual([['F', 100, 1]]);
    await patch(t, 'P-1', { sex: 'M' }).expect(200);
    expect(await bySex()).toEqual([['M', 100, 1]]);
    const incremental = await rollups(t);
    await rebuildRollups(t.db);
    expect(await rollups(t)).toEqual(incremental);
  });

  it('is for admins and the facilitator of its structure; refuses bad input in French', async () => {
    const facA = await t.tokenFor('facilitator', { structure: 'plie-lens-henin' });
    const facB = await t.tokenFor('facilitator', { structure: 'plie-douaisis' });
    const con = await t.tokenFor('contractor', { siren: '732829320' });
    await patch(t, 'P-1', { firstName: 'Léa' }, facA).expect(200);
    await patch(t, 'P-1', { firstName: 'Léa' }, facB).expect(404);
    await patch(t, 'P-1', { firstName: 'Léa' }, con).expect(403);
    await patch(t, 'P-9', { firstName: 'Léa' }).expect(404);
    const moved = await patch(t, 'P-1', { structure: 'plie-douaisis' }, facA).expect(403);
    expect(moved.body.error.message).toMatch(/administrateur/);
    expect((await patch(t, 'P-1', { structure: 'plie-douaisis' }).expect(200)).body.structure).toBe('plie-douaisis');
    // Now followed by Douaisis, but its contract is on a Lens marché: Lens still sees it, may not edit it.
    const other = await patch(t, 'P-1', { firstName: 'Zoé' }, facA).expect(403);
    expect(other.body.error.message).toBe('Vous n’avez pas accès à ce participant (suivi par une autre structure).');
    expect((await patch(t, 'P-1', { birthDate: '2030-01-01' }).expect(422)).body.error.code).toBe('invalid_birth_date');
    expect((await patch(t, 'P-1', { ref: 'P-2' }).expect(400)).body.error.code).toBe('validation_failed');
    expect((await patch(t, 'P-1', { sex: 'X' }).expect(400)).body.error.details[0].message).toMatch(/F ou M/);
  });
});
