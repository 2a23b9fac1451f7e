import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server.js';
import { engines } from '../helpers/db.js';
import { strength } from '../helpers/strength.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { accountWithPassword, loginAs, PASSWORD } from '../helpers/web.js';
import { A, B, seedMatrix, type Seed } from '../accounts/matrix.seed.js';
import { allRoutes } from './routes.js';
import { boundaryRequest, oddRequest, rng, type Callers, type HostileRequest } from './hostile.js';
import { changedTables, installWriteCounter, writeSignature, tableChecksums, tableNames } from './checksum.js';

// Seeded fuzzing of every route (read from Express's router) as every kind of caller, on a
// real listening server. Requests of the `boundary` family carry NUL bytes, lone surrogates,
// bad percent-encodings or overlong values and must get exactly a 400 (a 404 page for a page
// address) with nothing written; `odd` requests (wrong types, other scopes, broken JSON and
// CSV...) may get any answer but a 5xx, the API's error shape on every error, and nothing
// written when refused.
const SEED = 20261124;
// A local SQLite-only run sends 2 400 + 1 600 of them (test/helpers/strength.ts), same seed
// and families: the full 10 000 keep a core busy for about 10 s. CI sends them all.
const BOUNDARY_REQUESTS = strength(6000, 2400);
const ODD_REQUESTS = strength(4000, 1600);
// Refused imports are recorded on purpose (who tried what, when): the one table a refusal writes.
const WRITTEN_WHEN_REFUSED = new Set(['imports']);

interface Answer {
  status: number;
  type: string;
  text: string;
}

describe.each(engines)('fuzz: no 5xx for any input [%s]', (engine) => {
  let t: TestApp;
  let s: Seed;
  let server: http.Server;
  let agent: http.Agent;
  let port: number;
  let callers: Callers;
  let known: Record<string, string[]>;

  beforeAll(async () => {
    t = await makeTestApp(engine);
    s = await seedMatrix(t);
    await accountWithPassword(t, { email: 'fuzz@plie.example.fr', structure: A.structure });
    const { res } = await loginAs(t, 'fuzz@plie.example.fr', PASSWORD);
    const cookie = [res.headers['set-cookie'] ?? []].flat().find((c: string) => c.startsWith('ihl_session='));
    callers = {
      bearer: [t.admin, s.auth.facA, s.auth.conA, s.auth.dep62, null],
      sessionCookie: String(cookie).split(';')[0],
    };
    known = {
      ref: [A.marche, B.marche, A.participant, B.participant, A.contract, B.contract],
      code: [A.cite, B.cite, 'AAAAAAAAAAAAAAAAAAAA'],
      siret: [A.siret, B.siret, A.siren],
      id: [String(s.entryA), String(s.accountIds.withEmail), String(s.tokenIdOf.admin), String(s.tokenIdOf.facA)],
      number: [s.attestationA],
      structure: [A.structure, B.structure],
      month: ['2020-01', '2024-03', '03/2024'],
      ext: ['csv', 'xlsx', 'pdf'],
    };
    // Rate limits would turn the fuzz into 429s: lifted here only.
    const app = createApp({
      ...t.ctx,
      config: { ...t.ctx.config, AUTH_FAILURE_RATE_LIMIT: 10_000_000, LOGIN_RATE_LIMIT: 10_000_000 },
    });
    server = http.createServer(app);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    port = (server.address() as AddressInfo).port;
    agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  }, 120_000);

  afterAll(async () => {
    agent?.destroy();
    await new Promise((ok) => server?.close(ok));
    await t?.destroy();
  });

  const send = (q: HostileRequest) =>
    new Promise<Answer>((resolve, reject) => {
      const headers = { ...q.headers, ...(q.body ? { 'content-length': String(q.body.length) } : {}) };
      const req = http.request({ host: '127.0.0.1', port, method: q.method, path: q.path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      });
      req.on('error', reject);
      req.end(q.body);
    });

  const describeReq = (q: HostileRequest, a: Answer) =>
    `${q.family}/${q.where} ${q.method} ${q.path.slice(0, 120)} → ${a.status} ${a.text.slice(0, 160)}`;

  /** The API's error shape, or a French page outside the API. */
  function shapeProblem(q: HostileRequest, a: Answer): string | undefined {
    if (a.status < 400) return undefined;
    if (/^\/api\//.test(q.path)) {
      if (!a.type.includes('json')) return 'réponse d’erreur non JSON';
      try {
        const body = JSON.parse(a.text);
        // A refused import answers with its own documented shape: the counts and every bad row.
        if (a.status === 422 && q.path.startsWith('/api/v1/imports/') && Array.isArray(body.errors)) return undefined;
        const e = body.error;
        if (typeof e?.code !== 'string' || typeof e?.message !== 'string' || !e.message || !Array.isArray(e.details))
          return 'forme d’erreur incorrecte';
      } catch {
        return 'JSON illisible';
      }
      return undefined;
    }
    if (a.type.includes('html') && !a.text.includes('lang="fr"')) return 'page d’erreur sans lang="fr"';
    return undefined;
  }

  it(`sends ${BOUNDARY_REQUESTS + ODD_REQUESTS} hostile requests over every route as every role`, async () => {
    const routes = allRoutes();
    const r = rng(SEED);
    const tables = await tableNames(t.db);
    await installWriteCounter(t.db, tables);
    const wrong: string[] = [];
    let count = 0;
    let fiveHundreds = 0;
    const started = Date.now();

    // Each token's first use stamps it (last_used_at): done before the counting starts.
    for (const b of callers.bearer)
      if (b)
        await send({
          family: 'odd',
          where: 'none',
          method: 'GET',
          path: '/api/v1/cites',
          headers: { authorization: b },
        });
    // 1. Boundary family, 16 at a time: nothing may be written at all.
    const before = await tableChecksums(t.db, tables);
    const batch = Array.from({ length: BOUNDARY_REQUESTS }, () => boundaryRequest(r, routes, callers, known));
    for (let i = 0; i < batch.length; i += 16) {
      const slice = batch.slice(i, i + 16);
      const answers = await Promise.all(slice.map(send));
      slice.forEach((q, j) => {
        const a = answers[j];
        count++;
        if (a.status >= 500) fiveHundreds++;
        const isApi = /^\/api\//.test(q.path);
        const expected = !isApi && q.where === 'path' ? 404 : 400;
        if (a.status !== expected) wrong.push(`attendu ${expected} : ${describeReq(q, a)}`);
        const p = shapeProblem(q, a);
        if (p) wrong.push(`${p} : ${describeReq(q, a)}`);
      });
    }
    const afterBoundary = await tableChecksums(t.db, tables);

    expect(changedTables(before, afterBoundary)).toEqual([]);

    // 2. Odd family, one at a time: a refused request leaves every table as it was.
    let last = afterBoundary;
    let lastSig = await writeSignature(t.db);
    let accepted = 0;
    for (let i = 0; i < ODD_REQUESTS; i++) {
      const q = oddRequest(r, routes, callers, known);
      const a = await send(q);
      count++;
      if (a.status >= 500) {
        fiveHundreds++;
        wrong.push(`5xx : ${describeReq(q, a)}`);
      }
      const p = shapeProblem(q, a);
      if (p) wrong.push(`${p} : ${describeReq(q, a)}`);
      const sig = await writeSignature(t.db);
      const now = sig === lastSig ? last : await tableChecksums(t.db, tables);
      lastSig = sig;
      if (a.status >= 400) {
        const changed = changedTables(last, now).filter((n) => !WRITTEN_WHEN_REFUSED.has(n));
        if (changed.length) wrong.push(`refusée mais a écrit dans ${changed.join(', ')} : ${describeReq(q, a)}`);
      } else accepted++;
      last = now;
    }

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `fuzz [${engine}]: ${count} hostile requests over ${routes.length} routes (${BOUNDARY_REQUESTS} refused at the boundary, ${ODD_REQUESTS} odd of which ${accepted} accepted), 5xx = ${fiveHundreds}, ${seconds} s`,
    );
    expect([...new Set(wrong.map((w) => w.slice(0, 90)))].slice(0, 40)).toEqual([]);
    expect(fiveHundreds).toBe(0);
    expect(count).toBe(BOUNDARY_REQUESTS + ODD_REQUESTS);
  }, 300_000);
});
