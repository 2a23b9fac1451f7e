import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server.js';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { A, seedMatrix, type Seed, type Who } from '../accounts/matrix.seed.js';
import { allRoutes } from './routes.js';

// A caller outside a scope gets 404s that name nothing it did not name itself: correcting an
// hour entry of another structure must not reveal that structure's contract ref, and no route
// answers a 404 carrying a ref of scope A that the request did not contain.
describe.each(engines)('404 messages reveal nothing of another scope [%s]', (engine) => {
  let t: TestApp;
  let s: Seed;
  let http: ReturnType<typeof request>;
  beforeAll(async () => {
    t = await makeTestApp(engine);
    s = await seedMatrix(t);
    http = request(createApp({ ...t.ctx, config: { ...t.ctx.config, AUTH_FAILURE_RATE_LIMIT: 100_000 } }));
  }, 60_000);
  afterAll(async () => t?.destroy());

  it('a facilitator correcting an entry of another structure gets the same 404 as for no entry', async () => {
    const correct = (id: number | string) =>
      http
        .post(`/api/v1/hour-entries/${id}/corrections`)
        .set('Authorization', s.auth.facB!)
        .set('Idempotency-Key', `scope-${id}`)
        .send({ hours: '1', reason: 'Erreur de saisie' });
    const other = await correct(s.entryA);
    expect(other.status).toBe(404);
    expect(other.body.error.message).not.toContain(A.contract);
    expect(other.body.error.message).not.toContain(A.marche);
    const none = await correct(999_999);
    expect(none.status).toBe(404);
    expect(other.body.error.message.replace(String(s.entryA), 'N')).toBe(
      none.body.error.message.replace('999999', 'N'),
    );
  });

  it('on every route, as callers of another scope', async () => {
    const secrets = [A.contract, A.marche, A.participant, 'Aline', 'Zalpha'];
    const values: Record<string, string> = {
      ref: A.contract,
      id: String(s.entryA),
      number: s.attestationA,
      siret: A.siret,
      code: A.cite,
      structure: A.structure,
      month: '2024-03',
      ext: 'csv',
    };
    const leaks: string[] = [];
    for (const route of allRoutes().filter((r) => r.api)) {
      for (const ref of route.path.includes(':ref') ? [A.contract, A.marche, A.participant] : [undefined]) {
        const path = route.path.replace(/:(\w+)/g, (_m, name: string) =>
          name === 'ref' ? ref! : (values[name] ?? 'x'),
        );
        for (const who of ['facB', 'conB', 'dep59'] as Who[]) {
          const method = route.method.toLowerCase() as 'get' | 'post' | 'patch';
          const res = await http[method](path)
            .set('Authorization', s.auth[who]!)
            .set('Idempotency-Key', `leak-${who}-${path}`)
            .send(method === 'get' ? undefined : { hours: '1', reason: 'Erreur de saisie', month: '2024-03' });
          if (res.status !== 404) continue;
          const text = JSON.stringify(res.body);
          for (const secret of secrets)
            if (text.includes(secret) && !decodeURIComponent(path).includes(secret))
              leaks.push(`${route.method} ${path} (${who}) : ${text}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  }, 60_000);
});
