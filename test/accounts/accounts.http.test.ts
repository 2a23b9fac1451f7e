import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { engines } from '../helpers/db.js';
import { FIXED_NOW, makeTestApp, type TestApp } from '../helpers/app.js';
import { SIRET_A } from '../helpers/fixtures.js';
import { hashToken } from '../../src/accounts/tokens.js';
import { createApp } from '../../src/server.js';

describe.each(engines)('accounts, tokens and audit API [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
  });
  afterEach(async () => t.destroy());
  const post = (path: string, body: object = {}) =>
    t.http.post(`/api/v1${path}`).set('Authorization', t.admin).send(body);

  it('creates accounts bound to their scope, shows the token once and stores only its hash', async () => {
    const fac = await post('/accounts', {
      role: 'facilitator',
      structure: 'plie-bethune',
      name: 'Fanny',
      email: 'Fanny@PLIE.fr',
    }).expect(201);
    expect(fac.body.account).toMatchObject({
      role: 'facilitator',
      structure: 'plie-bethune',
      email: 'fanny@plie.fr',
      hasPassword: false,
      disabledAt: null,
    });
    expect(fac.body.token).toMatch(/^ihl_/);
    const stored = await t.db('api_tokens').where({ account_id: fac.body.account.id });
    expect(stored).toHaveLength(1);
    expect(stored[0].token_hash).toBe(hashToken(fac.body.token));
    expect(JSON.stringify(stored)).not.toContain(fac.body.token);
    const siren = await post('/accounts', { role: 'contractor', contractor: SIRET_A.slice(0, 9), name: 'BTP' }).expect(
      201,
    );
    expect(siren.body.account).toMatchObject({ contractorSiren: '732829320', contractorSiret: null });
    const siret = await post('/accounts', {
      role: 'contractor',
      contractor: '732 829 320 00074',
      name: 'BTP Lens',
    }).expect(201);
    expect(siret.body.account).toMatchObject({ contractorSiren: null, contractorSiret: SIRET_A });
    await post('/accounts', { role: 'departement', departement: '59', name: 'Nord' }).expect(201);
    const list = await t.http.get('/api/v1/accounts').set('Authorization', t.admin).expect(200);
    expect(list.body.items.map((a: any) => a.id)).toEqual(
      [...list.body.items.map((a: any) => a.id)].sort((a, b) => a - b),
    );
    expect(JSON.stringify(list.body)).not.toMatch(/hash|ihl_/);
    // The token works, and its last use is recorded.
    await t.http.get('/api/v1/marches').set('Authorization', `Bearer ${fac.body.token}`).expect(200);
    const detail = await t.http
      .get(`/api/v1/accounts/${fac.body.account.id}`)
      .set('Authorization', t.admin)
      .expect(200);
    expect(detail.body.tokens[0]).toMatchObject({
      label: 'initial',
      lastUsedAt: FIXED_NOW.toISOString(),
      revokedAt: null,
    });
  });

  it('refuses a bad binding with French messages', async () => {
    const cases: Array<[object, number, RegExp]> = [
      [{ role: 'facilitator', name: 'X' }, 400, /structure/],
      [{ role: 'facilitator', structure: 'nope', name: 'X' }, 422, /Structure « nope » inconnue/],
      [{ role: 'contractor', contractor: '123456789', name: 'X' }, 400, /SIREN ou SIRET/],
      [{ role: 'contractor', name: 'X' }, 400, /SIREN/],
      [{ role: 'departement', departement: '75', name: 'X' }, 400, /59 ou 62/],
      [{ role: 'admin', departement: '59', name: 'X' }, 400, /ne se rattache pas/],
      [{ role: 'chef', name: 'X' }, 400, /Rôle inconnu/],
      [{ role: 'admin', name: 'X', password: 'court' }, 400, /trop court/],
    ];
    for (const [body, status, msg] of cases) {
      const r = await post('/accounts', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(r.body.error), JSON.stringify(body)).toMatch(msg);
    }
    await post('/accounts', { role: 'admin', name: 'A', email: 'a@b.fr' }).expect(201);
    expect((await post('/accounts', { role: 'admin', name: 'B', email: 'A@B.fr' }).expect(409)).body.error.code).toBe(
      'duplicate_email',
    );
  });

  it('issues and revokes tokens, disables accounts, and audits each change', async () => {
    const a = await post('/accounts', { role: 'departement', departement: '62', name: 'Pas-de-Calais' }).expect(201);
    const id = a.body.account.id;
    const second = await post(`/accounts/${id}/tokens`, { label: 'tableur' }).expect(201);
    const bearer = `Bearer ${second.body.token}`;
    await t.http.get('/api/v1/reports/rsa?departement=62').set('Authorization', bearer).expect(200);
    await post(`/tokens/${second.body.id}/revoke`).expect(200);
    await t.http.get('/api/v1/reports/rsa?departement=62').set('Authorization', bearer).expect(401);
    await t.http.get('/api/v1/reports/rsa?departement=62').set('Authorization', `Bearer ${a.body.token}`).expect(200);
    await post(`/accounts/${id}/disable`).expect(200);
    await t.http.get('/api/v1/reports/rsa?departement=62').set('Authorization', `Bearer ${a.body.token}`).expect(401);
    expect((await post(`/accounts/${id}/tokens`).expect(409)).body.error.code).toBe('account_disabled');
    const audit = await t.http
      .get('/api/v1/audit?entity=account&ref=' + id)
      .set('Authorization', t.admin)
      .expect(200);
    expect(audit.body.items.map((e: any) => e.action)).toEqual([
      'account.disable',
      'token.revoke',
      'token.issue',
      'account.create',
    ]);
    expect(audit.body.items[0].account).toMatchObject({ role: 'admin' });
  });

  it('filters the audit log by action prefix, account and dates, newest first, with paging', async () => {
    for (let i = 0; i < 3; i++) await post('/accounts', { role: 'admin', name: `Admin ${i}` }).expect(201);
    const byPrefix = await t.http.get('/api/v1/audit?action=account.').set('Authorization', t.admin).expect(200);
    expect(byPrefix.body.items.length).toBe(4); // 3 + the ADMIN_TOKEN bootstrap
    const page1 = await t.http
      .get('/api/v1/audit?action=account.create&limit=2')
      .set('Authorization', t.admin)
      .expect(200);
    expect(page1.body.items).toHaveLength(2);
    const page2 = await t.http
      .get(`/api/v1/audit?action=account.create&limit=2&before=${page1.body.next.before}`)
      .set('Authorization', t.admin)
      .expect(200);
    expect(page2.body.items).toHaveLength(2);
    expect(page2.body.items[0].id).toBeLessThan(page1.body.items[1].id);
    const today = await t.http
      .get('/api/v1/audit?from=24/11/2026&to=2026-11-24')
      .set('Authorization', t.admin)
      .expect(200);
    expect(today.body.items.length).toBe(4);
    const none = await t.http.get('/api/v1/audit?to=2026-11-23').set('Authorization', t.admin).expect(200);
    expect(none.body.items).toEqual([]);
    await t.http.get('/api/v1/audit?from=hier').set('Authorization', t.admin).expect(400);
  });

  it('rate-limits failed bearer authentications per address, never good tokens', async () => {
    const http = request(createApp({ ...t.ctx, config: { ...t.ctx.config, AUTH_FAILURE_RATE_LIMIT: 3 } }));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await http.get('/api/v1/marches').set('Authorization', 'Bearer wrong')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // A valid token is not counted, but the address stays limited until the window ends.
    const blocked = await http.get('/api/v1/marches').set('Authorization', t.admin);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('too_many_requests');
    const fresh = request(createApp({ ...t.ctx, config: { ...t.ctx.config, AUTH_FAILURE_RATE_LIMIT: 3 } }));
    for (let i = 0; i < 10; i++) await fresh.get('/api/v1/marches').set('Authorization', t.admin).expect(200);
  });

  it('sends security headers and never a stack trace', async () => {
    const r = await t.http
      .post('/api/v1/accounts')
      .set('Authorization', t.admin)
      .set('Content-Type', 'application/json')
      .send('{"role":');
    expect(r.status).toBe(400);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toBeTruthy();
    expect(r.text).not.toMatch(/at .*\.ts|SELECT|stack/i);
  });
});
