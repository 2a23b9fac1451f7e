import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Response } from 'supertest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract } from '../helpers/fixtures.js';
import { pdfText } from './pdf-tools.js';

// What an attestation says, as a reader finds it: counts, period, one hours format, full
// contract types, who attests (with the right agreement) and who signs.

const flat = (s: string) => s.replace(/\s+/g, ' ');

function binary(res: Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe.each(engines)('attestation wording [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
  });
  afterEach(async () => t.destroy());

  const issue = (body: object, auth = t.admin) =>
    t.http.post('/api/v1/attestations').set('Authorization', auth).send(body).expect(201);
  const text = async (pdfUrl: string, auth = t.admin) => {
    expect(pdfUrl.startsWith('https://heures.example.fr/api/v1/attestations/')).toBe(true);
    const r = await t.http.get(new URL(pdfUrl).pathname).set('Authorization', auth).buffer(true).parse(binary);
    expect(r.status).toBe(200);
    return flat(pdfText(r.body as Buffer));
  };

  async function seedPerson() {
    await seedContract(t, { categories: ['RSA'], rsaDepartement: '62' });
    await t.db('contracts').where({ ref: 'C-1' }).update({ contract_type: 'APPRENTISSAGE' });
    await postHours(t, 'C-1', '2024-03', '151,67').expect(201);
    await postHours(t, 'C-1', '2024-04', '235').expect(201);
    await postHours(t, 'C-1', '2024-05', '235').expect(201);
    await postHours(t, 'C-1', '2024-06', '29,83').expect(201);
    // A second contract planned into the future, without any hour worked.
    await t.db('marches').where({ ref: 'M-1' }).update({ end_date: '2027-12-31' });
    await seedContract(t, { contract: 'C-2', start: '2025-01-01', end: '2027-06-30' });
  }

  it('counts only contracts with hours, over the months with hours, in one hours format, types in full', async () => {
    await seedPerson();
    const a = await issue({ kind: 'participant', participantRef: 'P-1' });
    const s = await text(a.body.pdfUrl);
    expect(s).toContain('Contrats 1 ');
    expect(s).not.toContain('C-2');
    expect(s).toContain('Période travaillée de mars 2024 à juin 2024');
    expect(s).not.toContain('30/06/2027');
    expect(s).not.toMatch(/à \S+ 2027/);
    expect(s).toContain('651,50 h');
    expect(s).not.toMatch(/651,5\sh/);
    expect(s).toContain('Apprentissage');
    expect(s).not.toContain('…');
    const v = await t.http.get(`/api/v1/attestations/verify/${a.body.verificationCode}`).expect(200);
    expect(v.body.participant).toMatchObject({ hours: 651.5, contracts: 1 });
  });

  it('lets the programme team or the structure attest, never « Administrateur (ADMIN_TOKEN) »', async () => {
    await seedPerson();
    const p = await text((await issue({ kind: 'participant', participantRef: 'P-1' })).body.pdfUrl);
    // A PLIE is masculine: the participle agrees with it.
    expect(p).toContain('Le PLIE Lens-Liévin / Hénin-Carvin, chargé de l’accompagnement');
    expect(p).not.toContain('ADMIN_TOKEN');
    const rsa = await issue({ kind: 'rsa', departement: '62', from: '2024-01', to: '2025-12' });
    const r = await text(rsa.body.pdfUrl);
    expect(r).toContain('L’équipe du programme ERBM atteste');
    expect(r).toContain('de janvier 2024 à décembre 2025');
    expect(r).not.toContain('ADMIN_TOKEN');
    const page = await t.http.get(`/verify/${rsa.body.verificationCode}`).expect(200);
    expect(page.text).toContain('de janvier 2024 à décembre 2025');
    expect(page.text).not.toContain('ADMIN_TOKEN');
  });

  it('is signed by a person: the account’s name and function', async () => {
    await seedPerson();
    const created = await t.http
      .post('/api/v1/accounts')
      .set('Authorization', t.admin)
      .send({ role: 'facilitator', structure: 'plie-lens-henin', name: 'Camille Lefèvre', email: 'c@plie.fr' })
      .expect(201);
    const fac = `Bearer ${created.body.token}`;
    const before = await text((await issue({ kind: 'participant', participantRef: 'P-1' }, fac)).body.pdfUrl, fac);
    expect(before).not.toContain('Camille Lefèvre'); // no function yet: the structure signs alone
    await t.http
      .patch(`/api/v1/accounts/${created.body.account.id}`)
      .set('Authorization', t.admin)
      .send({ function: 'Chargée de mission clauses sociales' })
      .expect(200);
    const s = await text((await issue({ kind: 'participant', participantRef: 'P-1' }, fac)).body.pdfUrl, fac);
    expect(s).toContain('Camille Lefèvre Chargée de mission clauses sociales PLIE Lens-Liévin / Hénin-Carvin');
  });

  it('says « la structure » for an EPCI in régie, feminine', async () => {
    await seedContract(t, { cite: 'cite-4-lens', structure: 'plie-osartis' });
    await postHours(t, 'C-1', '2024-03', '10').expect(201);
    const s = await text((await issue({ kind: 'participant', participantRef: 'P-1' })).body.pdfUrl);
    expect(s).toContain('La structure Osartis-Marquion (en régie), chargée de');
  });
});
