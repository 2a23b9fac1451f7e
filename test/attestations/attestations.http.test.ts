import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, SIRET_A, SIRET_B, seedContract } from '../helpers/fixtures.js';
import { loadTemplates } from '../../src/attestations/templates.js';
import { mappedCodePoints, pdfFonts, pdfText } from './pdf-tools.js';

const NNBSP = '\u202f';
// Text as one line with single spaces (poppler prints U+202F and U+00A0 as spaces).
const flat = (s: string) => s.replace(/\s+/g, ' ');

/** Binary body for supertest (PDFs). */
function binary(res: any, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe.each(engines)('attestations over HTTP [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
  });
  afterEach(async () => {
    await t.destroy();
  });

  const issue = (body: object, auth = t.admin) =>
    t.http.post('/api/v1/attestations').set('Authorization', auth).send(body);
  const pdf = async (url: string, auth = t.admin) => {
    const r = await t.http.get(new URL(url, 'http://x').pathname).set('Authorization', auth).buffer(true).parse(binary);
    return { status: r.status, body: r.body as Buffer, type: r.headers['content-type'] };
  };

  it('issues a clause attestation whose PDF shows French figures, stays the same bytes and never changes', async () => {
    await seedContract(t);
    await postHours(t, 'C-1', '2024-03', '151,67').expect(201);
    const r = await issue({ kind: 'clause', marcheRef: 'M-1' }).expect(201);
    expect(r.body.number).toBe('ATT-2026-000001');
    expect(r.body.verificationCode).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(r.body.verifyUrl).toBe(`https://heures.example.fr/verify/${r.body.verificationCode}`);
    expect(r.body.pdfUrl).toBe('https://heures.example.fr/api/v1/attestations/ATT-2026-000001.pdf');

    const first = await pdf(r.body.pdfUrl);
    expect(first.status).toBe(200);
    expect(first.type).toMatch(/application\/pdf/);
    const text = flat(pdfText(first.body));
    // poppler prints U+202F as a plain space; the font's Unicode map proves it is U+202F.
    expect(text).toMatch(/5\s000,00\sh/);
    expect(mappedCodePoints(first.body)).toContain(0x202f);
    for (const s of [
      '151,67 h',
      '01/02/2024',
      '31/12/2024',
      '24/11/2026',
      'ATT-2026-000001',
      'BTP du Nord',
      'L. M. (P-1)',
      '4 848,33 h',
      'Page 1 / 1',
      'Réhabilitation',
      'd’insertion',
    ])
      expect(text).toContain(s.replace(NNBSP, ' '));
    expect(text).not.toMatch(/Léa|Martin/); // a contractor's attestation shows initials only
    expect(pdfFonts(first.body)).toMatch(/DejaVuSans\s/);
    expect(pdfFonts(first.body)).not.toMatch(/Helvetica/);

    // More hours later: the attestation (facts, PDF bytes, verify page) does not move.
    await postHours(t, 'C-1', '2024-04', '100').expect(201);
    const again = await pdf(r.body.pdfUrl);
    expect(Buffer.compare(again.body, first.body)).toBe(0);
    // Editing the wording in templates/ later does not change an issued attestation either.
    const clauseTemplate = loadTemplates().kinds.clause;
    const title = clauseTemplate.title;
    clauseTemplate.title = 'Titre modifié après émission';
    try {
      expect(Buffer.compare((await pdf(r.body.pdfUrl)).body, first.body)).toBe(0);
    } finally {
      clauseTemplate.title = title;
    }
    const v = await t.http.get(`/api/v1/attestations/verify/${r.body.verificationCode}`).expect(200);
    expect(v.body).toMatchObject({
      status: 'valid',
      statusLabel: 'valide',
      number: 'ATT-2026-000001',
      clause: { requiredHours: 5000, realisedHours: 151.67, fulfilled: false },
    });
  });

  it('issues participant and RSA attestations with what each may show', async () => {
    await seedContract(t, { categories: ['RSA'], rsaDepartement: '62' });
    await postHours(t, 'C-1', '2024-03', '120,5').expect(201);
    await postHours(t, 'C-1', '2024-04', '35').expect(201);
    const fac = await t.tokenFor('facilitator', { structure: 'plie-lens-henin' });

    const p = await issue({ kind: 'participant', participantRef: 'P-1' }, fac).expect(201);
    const pText = flat(pdfText((await pdf(p.body.pdfUrl, fac)).body));
    expect(pText).toContain('Léa Martin');
    expect(pText).toContain('155,50 h');
    expect(pText).toContain('PLIE Lens-Liévin / Hénin-Carvin');
    const pv = await t.http.get(`/api/v1/attestations/verify/${p.body.verificationCode}`).expect(200);
    expect(pv.body.participant).toEqual({ ref: 'P-1', initials: 'L. M.', hours: 155.5, contracts: 1 });
    expect(JSON.stringify(pv.body)).not.toMatch(/Léa|Martin|1990/);

    const rsa = await issue({ kind: 'rsa', departement: '62', from: '01/2024', to: '2024-12' }, fac).expect(201);
    expect(rsa.body.number).toBe('ATT-2026-000002');
    const rText = flat(pdfText((await pdf(rsa.body.pdfUrl, fac)).body));
    expect(rText).toContain('Pas-de-Calais (62)');
    expect(rText).toContain('de janvier 2024 à décembre 2024');
    expect(rText).toContain('155,50 h');
    expect(rText).not.toMatch(/Léa|Martin|P-1|C-1/);
    const rv = await t.http.get(`/api/v1/attestations/verify/${rsa.body.verificationCode}`).expect(200);
    expect(rv.body.rsa).toMatchObject({ departement: { code: '62' }, hours: 155.5, beneficiaries: 1, contracts: 1 });

    // Another structure's facilitator may not name this participant; bad input is a 400.
    const other = await t.tokenFor('facilitator', { structure: 'plie-douaisis' });
    await issue({ kind: 'participant', participantRef: 'P-1' }, other).expect(404);
    await issue({ kind: 'clause', marcheRef: 'M-1' }, other).expect(404);
    await issue({ kind: 'rsa', departement: '75', from: '2024-01', to: '2024-12' }).expect(400);
    await issue({ kind: 'rsa', departement: '62', from: '2024-12', to: '2024-01' }).expect(422);
    await issue({ kind: 'diplome' }).expect(400);
    await issue({ kind: 'clause', marcheRef: 'NOPE' }).expect(404);
    await issue({ kind: 'clause', marcheRef: 'M-1' }, await t.tokenFor('contractor', { siret: SIRET_A })).expect(403);
    await t.http.post('/api/v1/attestations').send({ kind: 'clause', marcheRef: 'M-1' }).expect(401);
  });

  it('scopes lists and downloads by role; a contractor cannot fetch another’s attestation', async () => {
    await seedContract(t, { categories: ['RSA'], rsaDepartement: '62' });
    await seedContract(t, {
      marche: 'M-2',
      siret: SIRET_B,
      participant: 'P-2',
      contract: 'C-2',
      cite: 'mouchonniere-douai',
      structure: 'plie-douaisis',
    });
    const a1 = (await issue({ kind: 'clause', marcheRef: 'M-1' }).expect(201)).body;
    const a2 = (await issue({ kind: 'clause', marcheRef: 'M-2' }).expect(201)).body;
    const a3 = (await issue({ kind: 'rsa', departement: '62', from: '2024-01', to: '2024-12' }).expect(201)).body;
    const list = (auth: string) =>
      t.http
        .get('/api/v1/attestations')
        .set('Authorization', auth)
        .expect(200)
        .then((r) => r.body.items.map((i: any) => i.number));

    expect(await list(t.admin)).toEqual([a1.number, a2.number, a3.number]);
    const coA = await t.tokenFor('contractor', { siret: SIRET_A });
    expect(await list(coA)).toEqual([a1.number]);
    expect((await pdf(a1.pdfUrl, coA)).status).toBe(200);
    expect((await pdf(a2.pdfUrl, coA)).status).toBe(404);
    expect((await pdf(a3.pdfUrl, coA)).status).toBe(404);
    const coB = await t.tokenFor('contractor', { siren: SIRET_B.slice(0, 9) });
    expect(await list(coB)).toEqual([a2.number]);
    expect((await pdf(a1.pdfUrl, coB)).status).toBe(404);
    expect(await list(await t.tokenFor('facilitator', { structure: 'plie-lens-henin' }))).toEqual([a1.number]);
    expect(await list(await t.tokenFor('facilitator', { structure: 'plie-douaisis' }))).toEqual([a2.number]);
    const d62 = await t.tokenFor('departement', { departement: '62' });
    expect(await list(d62)).toEqual([a3.number]);
    expect((await pdf(a3.pdfUrl, d62)).status).toBe(200);
    expect(await list(await t.tokenFor('departement', { departement: '59' }))).toEqual([]);
    expect((await pdf(a1.pdfUrl, d62)).status).toBe(404);
    await t.http
      .get('/api/v1/attestations?kind=rsa')
      .set('Authorization', t.admin)
      .expect(200)
      .then((r) => expect(r.body.items.map((i: any) => i.number)).toEqual([a3.number]));
    await t.http.get('/api/v1/attestations?kind=x').set('Authorization', t.admin).expect(400);
    const one = await t.http.get(`/api/v1/attestations/${a1.number}`).set('Authorization', coA).expect(200);
    expect(one.body).toMatchObject({
      number: a1.number,
      kind: 'clause',
      subject: 'M-1',
      status: 'valid',
      issueDate: '2026-11-24',
      pdfUrl: a1.pdfUrl,
    });
    await t.http.get(`/api/v1/attestations/${a1.number}`).set('Authorization', coB).expect(404);
    await t.http.get('/api/v1/attestations/ATT-2026-000009.pdf').set('Authorization', t.admin).expect(404);
    await t.http.get('/api/v1/attestations/nope.pdf').set('Authorization', t.admin).expect(400);
    await t.http.get(new URL(a1.pdfUrl).pathname).expect(401);
  });

  it('verifies valid, revoked and unknown codes, on the page and as JSON', async () => {
    await seedContract(t);
    const a = (await issue({ kind: 'clause', marcheRef: 'M-1' }).expect(201)).body;
    const page = await t.http.get(`/verify/${a.verificationCode}`).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('Attestation valide');
    expect(page.text).toContain('ATT-2026-000001');
    expect(page.text).toContain(`5${NNBSP}000,00\u00a0h`);
    expect(page.text).toContain('24/11/2026');
    expect(page.text).not.toMatch(/Léa|Martin/);

    const coA = await t.tokenFor('contractor', { siret: SIRET_A });
    await t.http
      .post(`/api/v1/attestations/${a.number}/revoke`)
      .set('Authorization', coA)
      .send({ reason: 'Erreur de saisie' })
      .expect(403);
    await t.http.post(`/api/v1/attestations/${a.number}/revoke`).set('Authorization', t.admin).send({}).expect(400);
    const rev = await t.http
      .post(`/api/v1/attestations/${a.number}/revoke`)
      .set('Authorization', t.admin)
      .send({ reason: 'Erreur de saisie des heures' })
      .expect(200);
    expect(rev.body).toMatchObject({ status: 'revoked', revokeReason: 'Erreur de saisie des heures' });
    await t.http
      .post(`/api/v1/attestations/${a.number}/revoke`)
      .set('Authorization', t.admin)
      .send({ reason: 'encore' })
      .expect(409);
    const lists = await t.http.get('/api/v1/attestations?status=revoked').set('Authorization', t.admin).expect(200);
    expect(lists.body.items.map((i: any) => i.number)).toEqual([a.number]);
    expect(
      (await t.http.get('/api/v1/attestations?status=valid').set('Authorization', t.admin).expect(200)).body.items,
    ).toEqual([]);

    const revoked = await t.http.get(`/verify/${a.verificationCode}`).expect(200);
    expect(revoked.text).toContain('Attestation révoquée');
    expect(revoked.text).not.toContain('Erreur de saisie');
    const json = await t.http.get(`/api/v1/attestations/verify/${a.verificationCode}`).expect(200);
    expect(json.body).toMatchObject({ status: 'revoked', statusLabel: 'révoquée', revokedAt: '2026-11-24' });

    // Unknown, malformed and number-shaped codes all get the same 404.
    const unknown = await t.http.get('/verify/AAAAAAAAAAAAAAAAAAAAAAAA').expect(404);
    const byNumber = await t.http.get(`/verify/${a.number}`).expect(404);
    expect(byNumber.text).toBe(unknown.text);
    await t.http.get('/verify/%3Cscript%3E').expect(404);
    const j1 = await t.http.get('/api/v1/attestations/verify/AAAAAAAAAAAAAAAAAAAAAAAA').expect(404);
    const j2 = await t.http.get(`/api/v1/attestations/verify/${a.number}`).expect(404);
    expect(j1.body).toEqual(j2.body);

    const audit = await t.db('audit_log').where('entity', 'attestation').orderBy('id').pluck('action');
    expect(audit).toEqual(['attestation.issue', 'attestation.revoke']);
  });

  it('numbers without gaps under concurrent issue, per year', async () => {
    await seedContract(t);
    const results = await Promise.all(Array.from({ length: 8 }, () => issue({ kind: 'clause', marcheRef: 'M-1' })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const numbers = results.map((r) => r.body.number).sort();
    expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => `ATT-2026-${String(i + 1).padStart(6, '0')}`));
    // A refused issue takes no number.
    await issue({ kind: 'clause', marcheRef: 'NOPE' }).expect(404);
    expect((await issue({ kind: 'clause', marcheRef: 'M-1' }).expect(201)).body.number).toBe('ATT-2026-000009');
    expect(new Set(results.map((r) => r.body.verificationCode)).size).toBe(8);
  });
});

describe.each(engines)('attestation numbers follow the French calendar year [%s]', (engine) => {
  it('gives 31 December 23:30 UTC (1 January in Paris) the new year', async () => {
    const t = await makeTestApp(engine, { now: new Date('2026-12-31T23:30:00.000Z') });
    try {
      await seedContract(t);
      const r = await t.http
        .post('/api/v1/attestations')
        .set('Authorization', t.admin)
        .send({ kind: 'clause', marcheRef: 'M-1' })
        .expect(201);
      expect(r.body.number).toBe('ATT-2027-000001');
    } finally {
      await t.destroy();
    }
  });
});
