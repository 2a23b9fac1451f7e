import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server.js';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { accountWithPassword, loginAs, PASSWORD } from '../helpers/web.js';
import { A, seedMatrix, type Seed } from '../accounts/matrix.seed.js';
import { allRoutes } from './routes.js';

// Every answer to an authenticated caller (bearer token on the API, session cookie on the
// pages) carries Cache-Control: no-store, whatever its status; every route of the router is
// tried. Public answers to anonymous callers are left cacheable.
describe.each(engines)('no-store on every authenticated answer [%s]', (engine) => {
  let t: TestApp;
  let s: Seed;
  let http: ReturnType<typeof request>;
  let cookie: string;
  beforeAll(async () => {
    t = await makeTestApp(engine);
    s = await seedMatrix(t);
    http = request(createApp({ ...t.ctx, config: { ...t.ctx.config, AUTH_FAILURE_RATE_LIMIT: 100_000 } }));
    await accountWithPassword(t, { email: 'cache@plie.example.fr', structure: A.structure });
    const { res } = await loginAs(t, 'cache@plie.example.fr', PASSWORD);
    cookie = String([res.headers['set-cookie'] ?? []].flat().find((c: string) => c.startsWith('ihl_session='))).split(
      ';',
    )[0];
  }, 60_000);
  afterAll(async () => t?.destroy());

  // Real objects for reads (answers with personal data: 200s), unknown ones for writes.
  const fill = (path: string, write: boolean) =>
    path.replace(/:(\w+)/g, (_m, name: string) => {
      if (write) return name === 'month' ? '2030-01' : 'INCONNU-999';
      const real: Record<string, string> = {
        ref: path.includes('participants') ? A.participant : path.includes('contracts') ? A.contract : A.marche,
        code: path.includes('cites') ? A.cite : 'AAAAAAAAAAAAAAAAAAAA',
        siret: A.siret,
        id: String(s.accountIds.facA),
        number: s.attestationA,
        structure: A.structure,
        ext: 'csv',
      };
      return real[name] ?? 'x';
    });

  it('on every route, as an authenticated caller', async () => {
    const routes = allRoutes();
    const missing: string[] = [];
    let ok = 0;
    for (const route of routes) {
      const write = route.method !== 'GET';
      const path = fill(route.path, write) + (route.path.includes('reports/hours') ? '?groupBy=cite' : '');
      let r = http[route.method.toLowerCase() as 'get' | 'post' | 'patch'](path);
      r = route.api ? r.set('Authorization', t.admin) : r.set('Cookie', cookie);
      const res = await (write ? r.send({}) : r);
      if (res.status < 300) ok++;
      if (res.headers['cache-control'] !== 'no-store')
        missing.push(`${route.method} ${path} → ${res.status}, Cache-Control: ${res.headers['cache-control']}`);
    }
    expect(missing).toEqual([]);
    expect(ok).toBeGreaterThan(routes.length / 2); // most answers really carried data
  }, 60_000);

  it('the answers with personal data named in the issue', async () => {
    for (const path of [
      '/api/v1/participants',
      `/api/v1/participants/${A.participant}`,
      `/api/v1/contracts/${A.contract}`,
      '/api/v1/reports/rsa?departement=62',
      '/api/v1/exports/hours.csv',
      `/api/v1/attestations/${s.attestationA}.pdf`,
    ]) {
      const res = await http.get(path).set('Authorization', t.admin);
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('no-store');
    }
    const espace = await http.get('/espace').set('Cookie', cookie);
    expect(espace.status).toBe(200);
    expect(espace.headers['cache-control']).toBe('no-store');
  });

  it('public answers to anonymous callers may be cached, and vary with credentials', async () => {
    for (const path of ['/api/v1/progress', '/tableau-de-bord']) {
      const res = await http.get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'] ?? '', path).not.toContain('no-store');
      expect(res.headers.vary, path).toMatch(/Authorization/);
    }
  });
});
