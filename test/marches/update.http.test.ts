import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, rowCounts, seedContract, SIRET_A, SIRET_B } from '../helpers/fixtures.js';
import { csv, MARCHES_HEADER, marcheLine, postCsv } from '../helpers/imports.js';

// Editing a marché through the API (an avenant moves its dates) and renaming a contractor.
// Marché M-1 runs 01/01/2024 – 31/12/2025; contract C-1 01/02/2024 – 31/12/2024 with hours in
// 03/2024 and 10/2024; contract C-2 01/03/2025 – 30/06/2025 without hours.

const patch = (t: TestApp, ref: string, body: object, auth = t.admin) =>
  t.http.patch(`/api/v1/marches/${ref}`).set('Authorization', auth).send(body);

describe.each(engines)('PATCH /marches/:ref and /contractors/:siret [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    await seedContract(t, { contract: 'C-1' });
    await seedContract(t, { contract: 'C-2', participant: 'P-2', start: '2025-03-01', end: '2025-06-30' });
    await postHours(t, 'C-1', '2024-03', '100').expect(201);
    await postHours(t, 'C-1', '2024-10', '50').expect(201);
  });
  afterEach(async () => t.destroy());

  it('changes the title and the required hours, audited with the values before and after', async () => {
    const r = await patch(t, 'M-1', { title: 'Lot 1 : menuiseries', requiredHours: '5500,5' }).expect(200);
    expect(r.body).toMatchObject({ ref: 'M-1', title: 'Lot 1 : menuiseries', requiredHours: 5500.5 });
    expect((await t.http.get('/api/v1/marches/M-1').set('Authorization', t.admin)).body).toEqual(r.body);
    const line = await t.db('audit_log').where({ action: 'marche.update', entity_ref: 'M-1' }).first();
    expect(JSON.parse(line.details)).toEqual({
      before: { title: 'Réhabilitation de 120 logements', required_centihours: 500000 },
      after: { title: 'Lot 1 : menuiseries', required_centihours: 550050 },
    });
    const compliance = await t.http.get('/api/v1/marches/M-1/compliance').set('Authorization', t.admin).expect(200);
    expect(compliance.body.requiredHours).toBe(5500.5);
  });

  it('refuses an avenant that would leave contracts or hours outside, naming them in French', async () => {
    const before = await rowCounts(t);
    const r = await patch(t, 'M-1', { startDate: '01/06/2024', endDate: '31/05/2025' }).expect(409);
    expect(r.body.error.code).toBe('marche_dates_conflict');
    expect(r.body.error.message).toBe(
      'Les nouvelles dates du marché « M-1 » laisseraient en dehors : les contrats C-1 (du 01/02/2024 au ' +
        '31/12/2024), C-2 (du 01/03/2025 au 30/06/2025) ; des heures déjà saisies : C-1 en 03/2024.',
    );
    expect(r.body.error.details).toHaveLength(2);
    // Shortened to the end of October 2024: C-1 and C-2 stick out, October's hours stay inside.
    const end = await patch(t, 'M-1', { endDate: '2024-10-31' }).expect(409);
    expect(end.body.error.message).toContain('C-1 (du 01/02/2024 au 31/12/2024)');
    expect(end.body.error.message).not.toContain('heures');
    expect(await rowCounts(t)).toEqual(before);
    expect((await t.http.get('/api/v1/marches/M-1').set('Authorization', t.admin)).body.endDate).toBe('2025-12-31');
    expect(await t.db('audit_log').where({ action: 'marche.update' }).first()).toBeUndefined();
  });

  it('accepts an avenant that keeps everything inside (extension, or shortening to the last contract)', async () => {
    expect((await patch(t, 'M-1', { endDate: '30/06/2026' }).expect(200)).body.endDate).toBe('2026-06-30');
    expect((await patch(t, 'M-1', { startDate: '2024-02-01', endDate: '2025-06-30' }).expect(200)).body).toMatchObject({
      startDate: '2024-02-01',
      endDate: '2025-06-30',
    });
    const bad = await patch(t, 'M-1', { endDate: '2023-12-31' }).expect(422);
    expect(bad.body.error.code).toBe('invalid_dates');
  });

  it('moves a marché to another contractor (new or known) with the progress figures unchanged', async () => {
    const progress = async () => (await t.http.get('/api/v1/progress').expect(200)).body.realisedHours;
    expect(await progress()).toBe(150);
    const r = await patch(t, 'M-1', { contractorSiret: SIRET_B, contractorName: 'Maçonnerie Dupont' }).expect(200);
    expect(r.body.contractor).toEqual({ siret: SIRET_B, name: 'Maçonnerie Dupont' });
    expect(await progress()).toBe(150);
    const unknown = await patch(t, 'M-1', { contractorSiret: '78012346900006' }).expect(422);
    expect(unknown.body.error.message).toMatch(/Indiquez son nom/);
  });

  it('is for admins and the facilitators of its cité', async () => {
    const facA = await t.tokenFor('facilitator', { structure: 'plie-lens-henin' });
    const facB = await t.tokenFor('facilitator', { structure: 'plie-douaisis' });
    const con = await t.tokenFor('contractor', { siren: SIRET_A.slice(0, 9) });
    await patch(t, 'M-1', { title: 'Lot A' }, facA).expect(200);
    await patch(t, 'M-1', { title: 'Lot B' }, facB).expect(404);
    await patch(t, 'M-1', { title: 'Lot C' }, con).expect(403);
    await patch(t, 'M-9', { title: 'Lot' }).expect(404);
    // A facilitator cannot move its marché out of its scope.
    expect((await patch(t, 'M-1', { citeCode: 'mouchonniere-douai' }, facA).expect(403)).body.error.code).toBe(
      'forbidden',
    );
    expect((await patch(t, 'M-1', { ref: 'M-2' }).expect(400)).body.error.code).toBe('validation_failed');
  });

  it('renames a contractor, audited; facilitators only for a contractor with a marché in their scope', async () => {
    const facA = await t.tokenFor('facilitator', { structure: 'plie-lens-henin' });
    const facB = await t.tokenFor('facilitator', { structure: 'plie-douaisis' });
    const rename = (name: string, auth = t.admin, siret = SIRET_A) =>
      t.http.patch(`/api/v1/contractors/${siret}`).set('Authorization', auth).send({ name });
    const r = await rename('BTP du Nord SAS').expect(200);
    expect(r.body).toEqual({ siret: SIRET_A, siren: SIRET_A.slice(0, 9), name: 'BTP du Nord SAS' });
    expect((await t.http.get('/api/v1/marches/M-1').set('Authorization', t.admin)).body.contractor.name).toBe(
      'BTP du Nord SAS',
    );
    const line = await t.db('audit_log').where({ action: 'contractor.rename' }).first();
    expect(JSON.parse(line.details)).toEqual({ before: 'BTP du Nord', after: 'BTP du Nord SAS' });
    await rename('BTP du Nord', facA).expect(200);
    const refused = await rename('Autre nom', facB).expect(403);
    expect(refused.body.error.message).toMatch(/aucun de ses marchés/);
    await rename('X', t.admin, '78012346900006').expect(404);
    expect((await rename('   ').expect(400)).body.error.details[0].message).toMatch(/Nom obligatoire/);
  });

  it('renames a known contractor when an import or an edit gives it another name (counted as updated)', async () => {
    const file = (name: string) => csv(MARCHES_HEADER, [marcheLine({ ref: 'M-1', name })]);
    const same = await postCsv(t, 'marches', file('BTP du Nord'), { apply: true });
    expect(same.body).toMatchObject({ updated: 0, unchanged: 1 });
    const renamed = await postCsv(t, 'marches', file('BTP du Nord et Associés'), { apply: true });
    expect(renamed.body).toMatchObject({ updated: 1, unchanged: 0 });
    const r = await t.http.get(`/api/v1/contractors/${SIRET_A}`).set('Authorization', t.admin).expect(200);
    expect(r.body.name).toBe('BTP du Nord et Associés');
    const line = await t.db('audit_log').where({ action: 'contractor.rename' }).first();
    expect(JSON.parse(line.details)).toEqual({ before: 'BTP du Nord', after: 'BTP du Nord et Associés' });
    // A dry run renames nothing; an edit naming the contractor renames it too.
    expect((await postCsv(t, 'marches', file('Autre nom'), { apply: false })).body).toMatchObject({ updated: 1 });
    const kept = await t.http.get(`/api/v1/contractors/${SIRET_A}`).set('Authorization', t.admin).expect(200);
    expect(kept.body.name).toBe('BTP du Nord et Associés');
    expect((await patch(t, 'M-1', { contractorName: 'BTP du Nord' }).expect(200)).body.contractor.name).toBe(
      'BTP du Nord',
    );
  });
});
