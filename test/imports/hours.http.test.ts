import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { rowCounts } from '../helpers/fixtures.js';
import { csv, HOURS_HEADER, hoursLine, postCsv, seedMarches } from '../helpers/imports.js';

const months = ['02/2024', '03/2024', '04/2024', '05/2024', '06/2024'];
const fiveMonths = (hours = ['100', '120', '130', '140', '150']) =>
  months.map((month, i) => hoursLine({ month, hours: hours[i] }));

describe.each(engines)('hours import over HTTP [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    await seedMarches(t);
  });
  afterEach(async () => {
    await t.destroy();
  });

  it('is a dry run by default: counts what it would do and writes nothing', async () => {
    const before = await rowCounts(t);
    const r = await postCsv(t, 'hours', csv(HOURS_HEADER, fiveMonths())).expect(200);
    expect(r.body).toEqual({
      dryRun: true,
      rows: 5,
      created: 5,
      updated: 0,
      unchanged: 0,
      hoursAdded: 640,
      format: 'csv',
      encoding: 'utf-8',
      twoDigitYears: 0,
      errors: [],
    });
    expect(await rowCounts(t)).toEqual(before);
    const list = await t.http.get('/api/v1/imports').set('Authorization', t.admin).expect(200);
    expect(list.body.items[0]).toMatchObject({
      kind: 'hours',
      status: 'dry_run',
      dryRun: true,
      rows: 5,
      hoursAdded: 640,
    });
  });

  it('applies: creates participant and contract on first sight, posts entries pointing to the import', async () => {
    const file = csv(HOURS_HEADER, [
      ...fiveMonths(),
      hoursLine({
        contract: 'C-2',
        participant: 'P-2',
        birth: '2003-01-15',
        sex: 'M',
        categories: 'rsa, QPV, JEUNE',
        rsa: '62',
        month: '2024-03',
        hours: '35.5',
      }),
    ]);
    const r = await postCsv(t, 'hours', file, { apply: true }).expect(200);
    expect(r.body).toEqual({
      dryRun: false,
      rows: 6,
      created: 6,
      updated: 0,
      unchanged: 0,
      hoursAdded: 675.5,
      format: 'csv',
      encoding: 'utf-8',
      twoDigitYears: 0,
      errors: [],
    });
    const importId = Number(r.headers['import-id']);
    const entries = await t.db('hour_entries').orderBy('id');
    expect(entries).toHaveLength(6);
    expect(entries.every((e: any) => Number(e.import_id) === importId && e.kind === 'entry')).toBe(true);
    const c2 = await t.http.get('/api/v1/contracts/C-2').set('Authorization', t.admin);
    expect(c2.body).toMatchObject({
      participantRef: 'P-2',
      categories: ['RSA', 'QPV', 'JEUNE'],
      rsaDepartement: '62',
      startDate: '2024-02-01',
    });
    const p = await t.http.get('/api/v1/progress').expect(200);
    expect(p.body).toMatchObject({
      realisedHours: 675.5,
      beneficiaries: 2,
      contracts: 2,
      rsa: { hours: 35.5, beneficiaries: 1 },
    });
    const list = await t.http.get('/api/v1/imports').set('Authorization', t.admin).expect(200);
    expect(list.body.items[0]).toMatchObject({
      id: importId,
      status: 'applied',
      rows: 6,
      created: 6,
      hoursAdded: 675.5,
      errorCount: 0,
    });
    expect(list.body.items[0].fileSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('imported twice changes nothing; three changed months post exactly three corrections', async () => {
    const file = csv(HOURS_HEADER, fiveMonths());
    await postCsv(t, 'hours', file, { apply: true }).expect(200);
    const again = await postCsv(t, 'hours', file, { apply: true }).expect(200);
    expect(again.body).toMatchObject({ rows: 5, created: 0, updated: 0, unchanged: 5, hoursAdded: 0 });
    expect(await t.db('hour_entries').count({ n: '*' }).first()).toMatchObject({ n: 5 });

    const changed = csv(HOURS_HEADER, fiveMonths(['100', '121,5', '130', '0', '160']));
    const r = await postCsv(t, 'hours', changed, { apply: true }).expect(200);
    expect(r.body).toMatchObject({ rows: 5, created: 0, updated: 3, unchanged: 2, hoursAdded: 1.5 - 140 + 10 });
    const corrections = await t.db('hour_entries').where({ kind: 'correction' }).orderBy('month');
    expect(corrections.map((c: any) => [c.month, Number(c.centihours)])).toEqual([
      ['2024-03', 150],
      ['2024-05', -14000],
      ['2024-06', 1000],
    ]);
    const firsts = await t
      .db('hour_entries')
      .where({ kind: 'entry' })
      .whereIn('month', ['2024-03', '2024-05', '2024-06'])
      .orderBy('month')
      .pluck('id');
    expect(corrections.map((c: any) => Number(c.corrects_id))).toEqual(firsts.map(Number));
    expect(corrections[0].reason).toMatch(/ligne 3 : total déclaré 121,5/);
    const ledger = await t.http.get('/api/v1/contracts/C-1/hours').set('Authorization', t.admin).expect(200);
    expect(ledger.body.months.map((m: any) => m.hours)).toEqual([100, 121.5, 130, 0, 160]);
  });

  it('reads BOM, CRLF, quoted fields, any column order, extra columns, French and ISO forms', async () => {
    const cols = HOURS_HEADER.split(';');
    const shuffled = [...cols].reverse();
    const values = (line: string) => Object.fromEntries(line.split(';').map((v, i) => [cols[i], v]));
    const rows = [
      hoursLine({ categories: 'RQTH,DELD', month: '2024-03', hours: '7.25', start: '2024-02-01' }),
      hoursLine({ categories: 'RQTH,DELD', month: '04/2024', hours: '"8,5"' }),
    ];
    const body =
      '\uFEFF' +
      [
        [...shuffled, 'commentaire'].join(';'),
        ...rows.map((l) => {
          const v = values(l);
          return [...shuffled.map((c) => v[c]), '"texte; avec ""guillemets"""'].join(';');
        }),
      ].join('\r\n') +
      '\r\n';
    const r = await postCsv(t, 'hours', body, { apply: true });
    expect(r.body).toMatchObject({ rows: 2, created: 2, hoursAdded: 15.75, errors: [] });
    expect(r.status).toBe(200);
  });

  it('reports every bad row with line, column and a French message, and writes nothing', async () => {
    const before = await rowCounts(t);
    const file = csv(HOURS_HEADER, [
      hoursLine({ marche: 'M-INCONNU', contract: 'C-X', participant: 'P-X' }), // 2
      hoursLine({ contract: 'C-2', employer: '73282932000075' }), // 3
      hoursLine({ month: '04/2024', hours: '10,123' }), // 4
      hoursLine({ month: '05/2024', hours: '236' }), // 5
      hoursLine({ month: '01/2025', hours: '10' }), // 6
      hoursLine({ month: '06/2024', birth: '11/05/1990' }), // 7
      hoursLine({ contract: 'C-3', categories: 'RSA' }), // 8
      hoursLine({ contract: 'C-4', sex: 'X', type: 'STAGE' }), // 9
      hoursLine({ month: '03/2024', hours: '1' }), // 10: same contract-month as line 11
      hoursLine({ month: '03/2024', hours: '2' }), // 11
    ]);
    const r = await postCsv(t, 'hours', file, { apply: true }).expect(422);
    expect(r.body).toMatchObject({ dryRun: false, rows: 10, created: 0, updated: 0, unchanged: 0 });
    const at = (line: number) =>
      r.body.errors.filter((e: any) => e.line === line).map((e: any) => [e.column, e.message]);
    expect(at(2)).toEqual([['marche_ref', expect.stringMatching(/Marché « M-INCONNU » inconnu/)]]);
    expect(at(3)).toEqual([['employer_siret', expect.stringMatching(/clé de contrôle/)]]);
    expect(at(4)).toEqual([['hours', expect.stringMatching(/plus de deux décimales/)]]);
    expect(at(5)).toEqual([['hours', expect.stringMatching(/dépasserait 235 h/)]]);
    expect(at(6)).toEqual([['month', expect.stringMatching(/hors des dates du contrat/)]]);
    expect(at(7)).toEqual([['birth_date', expect.stringMatching(/diffère de celle de la ligne 4/)]]);
    expect(at(8)).toEqual([['rsa_departement', expect.stringMatching(/Département payeur du RSA/)]]);
    expect(
      at(9)
        .map(([c]: string[]) => c)
        .sort(),
    ).toEqual(['contract_type', 'sex']);
    expect(at(11)).toEqual([['month', expect.stringMatching(/déjà une ligne pour le mois 2024-03 \(ligne 10\)/)]]);
    expect(await rowCounts(t)).toEqual(before);
    const list = await t.http.get('/api/v1/imports').set('Authorization', t.admin).expect(200);
    expect(list.body.items[0]).toMatchObject({ status: 'rejected', errorCount: r.body.errors.length });
  });

  it('refuses a file mixing encodings, in UTF-16, lacking columns or empty', async () => {
    // Line 2 has a UTF-8 « é » (an extra column), line 3 a Windows-1252 one: which is right?
    const mixed = Buffer.concat([
      Buffer.from(`${HOURS_HEADER};note\n${hoursLine()};été\n`, 'utf8'),
      Buffer.from(`${hoursLine({ month: '04/2024' })};été\n`, 'latin1'),
    ]);
    const enc = await postCsv(t, 'hours', mixed).expect(422);
    expect(enc.body.errors).toEqual([
      { line: 3, column: '', message: expect.stringMatching(/mélange deux encodages/) },
    ]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(HOURS_HEADER, [hoursLine()]), 'utf16le')]);
    const u = await postCsv(t, 'hours', utf16).expect(422);
    expect(u.body.errors).toEqual([{ line: 1, column: '', message: expect.stringMatching(/UTF-16/) }]);
    expect(u.body).toMatchObject({ format: 'csv', encoding: null, rows: 0 });
    const missing = await postCsv(t, 'hours', 'marche_ref;contract_ref;month\nM-1;C-1;03/2024\n').expect(422);
    expect(missing.body.errors.map((e: any) => e.column)).toContain('hours');
    expect(missing.body.errors.every((e: any) => e.line === 1 && /absente de l’en-tête/.test(e.message))).toBe(true);
    const empty = await postCsv(t, 'hours', '').expect(422);
    expect(empty.body).toMatchObject({ rows: 0, errors: [{ line: 1, message: expect.stringMatching(/vide/) }] });
    const headerOnly = await postCsv(t, 'hours', HOURS_HEADER + '\n').expect(422);
    expect(headerOnly.body.errors[0].message).toMatch(/aucune ligne de données/);
    const json = await t.http.post('/api/v1/imports/hours').set('Authorization', t.admin).send({ a: 1 }).expect(415);
    expect(json.body.error.message).toMatch(/text\/csv.*xlsx/);
  });

  it('refuses a body over 20 MB with 413 and a hint to use the command line', async () => {
    const big = Buffer.alloc(21 * 1024 * 1024, 'a');
    const r = await postCsv(t, 'hours', big);
    expect(r.status).toBe(413);
    expect(r.body.error.message).toMatch(/npm run cli -- import hours/);
  });

  it('checks later files against stored contracts and participants', async () => {
    await postCsv(t, 'hours', csv(HOURS_HEADER, [hoursLine()]), { apply: true }).expect(200);
    const r = await postCsv(t, 'hours', csv(HOURS_HEADER, [hoursLine({ month: '04/2024', mode: 'DIRECT' })])).expect(
      422,
    );
    expect(r.body.errors).toEqual([
      { line: 2, column: 'mode', message: expect.stringMatching(/diffère du contrat déjà enregistré \(ETTI\)/) },
    ]);
    const p = await postCsv(
      t,
      'hours',
      csv(HOURS_HEADER, [hoursLine({ contract: 'C-9', birth: '01/01/1980', month: '04/2024' })]),
    ).expect(422);
    expect(p.body.errors).toEqual([
      {
        line: 2,
        column: 'birth_date',
        message: expect.stringMatching(/diffère de celle déjà enregistrée \(10\/05\/1990\)/),
      },
    ]);
  });

  it('keeps a facilitator to its structure, refuses other roles, and respects closed months', async () => {
    const fac = await t.tokenFor('facilitator', { structure: 'plie-lens-henin' });
    const other = await t.tokenFor('facilitator', { structure: 'plie-bethune' });
    const contractor = await t.tokenFor('contractor', { siren: '732829320' });
    const file = csv(HOURS_HEADER, [hoursLine()]);
    const out = await postCsv(t, 'hours', file, { apply: true, auth: other }).expect(422);
    expect(out.body.errors).toEqual([
      { line: 2, column: 'marche_ref', message: expect.stringMatching(/hors du périmètre/) },
    ]);
    await postCsv(t, 'hours', file, { apply: true, auth: contractor }).expect(403);
    await postCsv(t, 'hours', file, { apply: true, auth: fac }).expect(200);
    const p = await t.db('participants').where({ ref: 'P-1' }).first();
    const s = await t.db('structures').where({ code: 'plie-lens-henin' }).first();
    expect(p.structure_id).toBe(s.id);

    await t.http.post('/api/v1/closed-months').set('Authorization', fac).send({ month: '03/2024' }).expect(201);
    await postCsv(t, 'hours', file, { apply: true, auth: fac }).expect(200); // unchanged: allowed
    const closed = await postCsv(
      t,
      'hours',
      csv(HOURS_HEADER, [hoursLine({ hours: '12' }), hoursLine({ month: '04/2024' })]),
      { auth: fac },
    ).expect(422);
    expect(closed.body.errors).toEqual([
      { line: 2, column: 'month', message: expect.stringMatching(/03\/2024 est clos/) },
    ]);
  });
});
