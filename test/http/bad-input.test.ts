import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { rowCounts, seedContract, SIRET_A } from '../helpers/fixtures.js';

const validMarche = {
  ref: 'M-2',
  citeCode: 'cite-4-lens',
  title: 'Lot 2',
  contractorSiret: SIRET_A,
  contractorName: 'BTP',
  amountEur: '1000',
  requiredHours: '100',
  startDate: '2024-01-01',
  endDate: '2024-12-31',
};

describe.each(engines)('bad input gets a French message and changes nothing [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    await seedContract(t);
  });
  afterEach(async () => t.destroy());

  const cases: Array<[string, (t: TestApp) => any, number, RegExp]> = [
    [
      'malformed JSON',
      (t) =>
        t.http
          .post('/api/v1/marches')
          .set('Authorization', t.admin)
          .set('Content-Type', 'application/json')
          .send('{"ref":'),
      400,
      /JSON/,
    ],
    [
      'wrong type',
      (t) =>
        t.http
          .post('/api/v1/marches')
          .set('Authorization', t.admin)
          .send({ ...validMarche, title: 12 }),
      400,
      /./,
    ],
    [
      'bad SIRET key',
      (t) =>
        t.http
          .post('/api/v1/marches')
          .set('Authorization', t.admin)
          .send({ ...validMarche, contractorSiret: '73282932000075' }),
      400,
      /clé de contrôle/,
    ],
    [
      'bad SIRET length',
      (t) => t.http.post('/api/v1/contractors').set('Authorization', t.admin).send({ siret: '1234', name: 'X' }),
      400,
      /14 chiffres/,
    ],
    [
      'unknown cité',
      (t) =>
        t.http
          .post('/api/v1/marches')
          .set('Authorization', t.admin)
          .send({ ...validMarche, citeCode: 'nulle-part' }),
      422,
      /Cité « nulle-part » inconnue/,
    ],
    [
      'end before start',
      (t) =>
        t.http
          .post('/api/v1/marches')
          .set('Authorization', t.admin)
          .send({ ...validMarche, endDate: '2023-01-01' }),
      422,
      /précède/,
    ],
    [
      'impossible date',
      (t) =>
        t.http
          .post('/api/v1/marches')
          .set('Authorization', t.admin)
          .send({ ...validMarche, startDate: '31/02/2024' }),
      400,
      /invalide/,
    ],
    [
      'duplicate marché',
      (t) =>
        t.http
          .post('/api/v1/marches')
          .set('Authorization', t.admin)
          .send({ ...validMarche, ref: 'M-1' }),
      409,
      /existe déjà/,
    ],
    [
      'duplicate participant',
      (t) =>
        t.http
          .post('/api/v1/participants')
          .set('Authorization', t.admin)
          .send({ ref: 'P-1', birthDate: '1990-01-01', sex: 'F' }),
      409,
      /existe déjà/,
    ],
    [
      'bad sex',
      (t) =>
        t.http
          .post('/api/v1/participants')
          .set('Authorization', t.admin)
          .send({ ref: 'P-2', birthDate: '1990-01-01', sex: 'X' }),
      400,
      /F ou M/,
    ],
    [
      'future birth date',
      (t) =>
        t.http
          .post('/api/v1/participants')
          .set('Authorization', t.admin)
          .send({ ref: 'P-2', birthDate: '2030-01-01', sex: 'F' }),
      422,
      /futur/,
    ],
    [
      'unknown marché on contract',
      (t) =>
        t.http.post('/api/v1/contracts').set('Authorization', t.admin).send({
          ref: 'C-2',
          participantRef: 'P-1',
          marcheRef: 'M-404',
          employerSiret: SIRET_A,
          contractType: 'CDD',
          mode: 'DIRECT',
          startDate: '2024-01-01',
          endDate: '2024-02-01',
        }),
      422,
      /Marché « M-404 » inconnu/,
    ],
    [
      'unknown contract type',
      (t) =>
        t.http.post('/api/v1/contracts').set('Authorization', t.admin).send({
          ref: 'C-2',
          participantRef: 'P-1',
          marcheRef: 'M-1',
          employerSiret: SIRET_A,
          contractType: 'STAGE',
          mode: 'DIRECT',
          startDate: '2024-01-01',
          endDate: '2024-02-01',
        }),
      400,
      /Type de contrat inconnu/,
    ],
    [
      'unknown category',
      (t) =>
        t.http
          .post('/api/v1/contracts')
          .set('Authorization', t.admin)
          .send({
            ref: 'C-2',
            participantRef: 'P-1',
            marcheRef: 'M-1',
            employerSiret: SIRET_A,
            contractType: 'CDD',
            mode: 'DIRECT',
            startDate: '2024-01-01',
            endDate: '2024-02-01',
            categories: ['RSA', 'PIRATE'],
            rsaDepartement: '62',
          }),
      400,
      /Catégorie inconnue/,
    ],
    [
      'unknown contract for hours',
      (t) =>
        t.http
          .post('/api/v1/contracts/C-404/hours')
          .set('Authorization', t.admin)
          .set('Idempotency-Key', 'a')
          .send({ month: '2024-03', hours: 1 }),
      404,
      /introuvable/,
    ],
    [
      'negative hours',
      (t) =>
        t.http
          .post('/api/v1/contracts/C-1/hours')
          .set('Authorization', t.admin)
          .set('Idempotency-Key', 'b')
          .send({ month: '2024-03', hours: -3 }),
      400,
      /négatif/,
    ],
    [
      'hours as object',
      (t) =>
        t.http
          .post('/api/v1/contracts/C-1/hours')
          .set('Authorization', t.admin)
          .set('Idempotency-Key', 'c')
          .send({ month: '2024-03', hours: { a: 1 } }),
      400,
      /./,
    ],
    [
      'unknown marché',
      (t) => t.http.get('/api/v1/marches/NOPE').set('Authorization', t.admin),
      404,
      /Marché « NOPE » introuvable/,
    ],
    ['unknown route', (t) => t.http.get('/api/v1/nothing-here').set('Authorization', t.admin), 404, /Aucune ressource/],
    ['no token', (t) => t.http.get('/api/v1/marches'), 401, /Authentification requise/],
    [
      'bad token',
      (t) => t.http.get('/api/v1/marches').set('Authorization', 'Bearer nope'),
      401,
      /Authentification requise/,
    ],
    ['bad progress month', (t) => t.http.get('/api/v1/progress?from=2024-13'), 400, /Mois/],
    ['unknown programme', (t) => t.http.get('/api/v1/progress?programme=xyz'), 404, /Programme/],
  ];

  it.each(cases)('%s', async (_name, send, status, message) => {
    const before = await rowCounts(t);
    const r = await send(t);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toEqual(expect.any(String));
    expect(`${r.body.error.message} ${JSON.stringify(r.body.error.details)}`).toMatch(message);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('a contractor account cannot write', async () => {
    const co = await t.tokenFor('contractor', { siren: SIRET_A.slice(0, 9) });
    const r = await t.http.post('/api/v1/marches').set('Authorization', co).send(validMarche);
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/accès/);
  });
});
