import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { rowCounts, seedContract } from '../helpers/fixtures.js';
import { csv, MARCHES_HEADER, marcheLine } from '../helpers/imports.js';

// What the boundary refuses, case by case (the fuzz test covers the rest at random): each
// answer is a 400 with the error shape (a French 404 page for a page address), and nothing
// is written. On PostgreSQL, NUL in a query parameter used to reach the database (500).
describe.each(engines)('hostile input is refused at the boundary [%s]', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(engine);
    await seedContract(t);
  });
  afterAll(async () => t?.destroy());

  const api: Array<[string, string, string]> = [
    ['bad percent-encoding in a path', '/api/v1/marches/%E0%A4%A', 'invalid_encoding'],
    ['a lone surrogate in a path', '/api/v1/marches/%ED%A0%80', 'invalid_encoding'],
    ['a lone surrogate in a contract path', '/api/v1/contracts/%ED%A0%80/hours', 'invalid_encoding'],
    ['NUL in a path', '/api/v1/cites/%00', 'forbidden_character'],
    ['NUL in a query parameter', '/api/v1/progress?programme=%00', 'forbidden_character'],
    ['NUL inside a query value', '/api/v1/reports/hours?programme=a%00b&groupBy=year', 'forbidden_character'],
    ['bad percent-encoding in a query', '/api/v1/progress?programme=%E0%A4%A', 'invalid_encoding'],
    ['an overlong path segment', `/api/v1/marches/${'x'.repeat(300)}`, 'input_too_long'],
    ['an overlong query value', `/api/v1/progress?programme=${'x'.repeat(2000)}`, 'input_too_long'],
  ];
  it.each(api)('%s → 400', async (_name, path, code) => {
    const before = await rowCounts(t);
    const r = await t.http.get(path).set('Authorization', t.admin);
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code, message: expect.stringMatching(/^Requête invalide/), details: [] });
    expect(r.body.error.message).not.toContain('xxxxxxxxxx');
    expect(await rowCounts(t)).toEqual(before);
  });

  it('anonymous callers are refused the same way, before authentication', async () => {
    const r = await t.http.get('/api/v1/marches/%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_encoding');
  });

  it('an overlong header → 400', async () => {
    const r = await t.http
      .post('/api/v1/contracts/C-1/hours')
      .set('Authorization', t.admin)
      .set('Idempotency-Key', 'k'.repeat(5000))
      .send({ month: '2024-03', hours: 1 });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('input_too_long');
    expect(r.body.error.message).toContain('idempotency-key');
  });

  const bodies: Array<[string, string, string]> = [
    ['NUL in a JSON string', '{"month":"2024-03","hours":"1\\u0000"}', 'forbidden_character'],
    ['a lone high surrogate', '{"month":"2024-03\\ud800","hours":1}', 'forbidden_character'],
    ['a lone low surrogate in a key', '{"month":"2024-03","\\udc00":1,"hours":1}', 'forbidden_character'],
    ['an overlong JSON string', `{"month":"${'9'.repeat(30_000)}","hours":1}`, 'input_too_long'],
    ['a deeply nested body', `{"hours":${'['.repeat(5000)}${']'.repeat(5000)}}`, 'invalid_input'],
  ];
  it.each(bodies)('%s → 400, nothing posted', async (_name, json, code) => {
    const before = await rowCounts(t);
    const r = await t.http
      .post('/api/v1/contracts/C-1/hours')
      .set('Authorization', t.admin)
      .set('Idempotency-Key', `body-${code}-${json.length}`)
      .set('Content-Type', 'application/json')
      .send(json);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(code);
    expect(await rowCounts(t)).toEqual(before);
  });

  it('a valid surrogate pair (an emoji) is not refused', async () => {
    const r = await t.http.get(`/api/v1/marches/${encodeURIComponent('M-😀')}`).set('Authorization', t.admin);
    expect(r.status).toBe(404);
  });

  // CSV bodies are read by the import itself (as bytes, streamed): PostgreSQL's refusal of NUL
  // is answered as bad input here; refusing it by line and column belongs to the CSV reader.
  it('NUL inside a CSV cell never gives a 500, and a refused file writes nothing', async () => {
    const before = await rowCounts(t);
    const body = csv(MARCHES_HEADER, [marcheLine({ ref: 'M-NUL', title: 'Lot\u0000 2' })]);
    const r = await t.http
      .post('/api/v1/imports/marches?dryRun=false')
      .set('Authorization', t.admin)
      .set('Content-Type', 'text/csv')
      .send(body);
    expect(r.status).toBeLessThan(500);
    if (r.status >= 400) expect(await rowCounts(t)).toEqual(before);
  });

  it('a page address that cannot be decoded is a French 404 page, not JSON', async () => {
    for (const path of ['/verify/%E0%A4%A', '/verify/%ED%A0%80', '/verify/a%00b', `/verify/${'x'.repeat(400)}`]) {
      const r = await t.http.get(path);
      expect(r.status, path).toBe(404);
      expect(r.type).toBe('text/html');
      expect(r.text).toContain('<html lang="fr">');
      expect(r.text).toContain('<title>');
      expect(r.text).toContain('Page introuvable');
    }
  });

  it('a bad query on a page is a French 400 page; an unknown page a 404 page', async () => {
    const bad = await t.http.get('/tableau-de-bord?from=%00');
    expect(bad.status).toBe(400);
    expect(bad.type).toBe('text/html');
    expect(bad.text).toContain('Requête invalide');
    const missing = await t.http.get('/nulle-part');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<html lang="fr">');
  });
});
