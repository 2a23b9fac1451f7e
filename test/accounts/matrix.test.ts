import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import request from 'supertest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { SIRET_ETTI } from '../helpers/fixtures.js';
import { csv, HOURS_HEADER, hoursLine, MARCHES_HEADER, marcheLine } from '../helpers/imports.js';
import { createApp } from '../../src/server.js';
import { A, B, seedMatrix, WHO, type Seed, type Who } from './matrix.seed.js';

// The authorisation matrix: every /api/v1 route × every kind of caller, with the expected
// status, and on every successful answer no trace of another scope (refs of the other
// structure / contractor) nor of personal data the caller may not see (names, birth dates).
// One line per route: statuses in the order of WHO.

/** 'admin facA facB conA conB dep59 dep62' statuses, then none/revoked/disabled (401 by default). */
const m = (authed: string, anon = '401 401 401'): Record<Who, number> => {
  const s = `${authed} ${anon}`.trim().split(/\s+/).map(Number);
  if (s.length !== WHO.length) throw new Error(`matrix line: ${authed} | ${anon}`);
  return Object.fromEntries(WHO.map((w, i) => [w, s[i]])) as Record<Who, number>;
};

interface Row {
  route: string; // "METHOD /path" as documented
  req: (
    who: Who,
    s: Seed,
    n: number,
  ) => { method: 'get' | 'post' | 'patch'; path: string; body?: unknown; type?: string; key?: boolean };
  expect: Record<Who, number>;
}
const VALID_SIRETS = [
  '78012346900006',
  '78012346900014',
  '78012346900022',
  '78012346900030',
  '78012346900048',
  '78012346900055',
  '78012346900063',
  '78012346900071',
  '78012346900089',
  '78012346900097',
];
const get = (path: string) => () => ({ method: 'get' as const, path });

const rows: Row[] = [
  // reference data and directory
  { route: 'GET /cites', req: get('/cites'), expect: m('200 200 200 200 200 200 200') },
  { route: 'GET /cites/:code', req: get(`/cites/${A.cite}`), expect: m('200 200 200 200 200 200 200') },
  {
    route: 'POST /cites',
    req: (w) => ({
      method: 'post',
      path: '/cites',
      body: { code: `cite-${w}`, name: 'Cité test', commune: 'Lens', epci: 'call' },
    }),
    expect: m('201 403 403 403 403 403 403'),
  },
  { route: 'GET /contractors', req: get('/contractors'), expect: m('200 200 200 200 200 200 200') },
  { route: 'GET /contractors/:siret', req: get(`/contractors/${A.siret}`), expect: m('200 200 200 200 404 200 200') },
  {
    route: 'POST /contractors',
    req: (w, _s, n) => ({ method: 'post', path: '/contractors', body: { siret: VALID_SIRETS[n], name: `E ${w}` } }),
    expect: m('201 201 201 403 403 403 403'),
  },
  {
    // Admins, and facilitators for a contractor with a marché in their scope (A's is not in B's).
    route: 'PATCH /contractors/:siret',
    req: () => ({ method: 'patch', path: `/contractors/${A.siret}`, body: { name: 'BTP du Nord' } }),
    expect: m('200 200 403 403 403 403 403'),
  },
  { route: 'GET /structures', req: get('/structures'), expect: m('200 200 200 200 200 200 200') },
  // marchés
  { route: 'GET /marches', req: get('/marches'), expect: m('200 200 200 200 200 200 200') }, // Départements: an empty list
  { route: 'GET /marches/:ref', req: get(`/marches/${A.marche}`), expect: m('200 200 404 200 404 404 404') },
  {
    route: 'POST /marches',
    req: (w) => ({
      method: 'post',
      path: '/marches',
      body: {
        ref: `MN-${w}`,
        citeCode: A.cite,
        title: 'Lot 2',
        contractorSiret: A.siret,
        amountEur: '1000',
        requiredHours: '100',
        startDate: '2024-01-01',
        endDate: '2024-12-31',
      },
    }),
    expect: m('201 201 403 403 403 403 403'),
  },
  {
    route: 'PATCH /marches/:ref',
    req: (w) => ({ method: 'patch', path: `/marches/${A.marche}`, body: { title: `Lot 1 (${w})` } }),
    expect: m('200 200 404 403 403 403 403'),
  },
  {
    route: 'GET /marches/:ref/compliance',
    req: get(`/marches/${A.marche}/compliance`),
    expect: m('200 200 404 200 404 404 404'),
  },
  {
    route: 'GET /contractors/:siret/compliance',
    req: get(`/contractors/${A.siret}/compliance`),
    expect: m('200 200 404 200 404 404 404'),
  },
  // people
  { route: 'GET /participants', req: get('/participants'), expect: m('200 200 200 200 200 403 403') },
  {
    route: 'GET /participants/:ref',
    req: get(`/participants/${A.participant}`),
    expect: m('200 200 404 200 404 403 403'),
  },
  {
    route: 'POST /participants',
    req: (w) => ({
      method: 'post',
      path: '/participants',
      body: {
        ref: `PN-${w}`,
        firstName: 'Nina',
        lastName: 'Nouvelle',
        birthDate: '2000-01-01',
        sex: 'F',
        structure: A.structure,
      },
    }),
    expect: m('201 201 201 403 403 403 403'),
  },
  {
    // The facilitator of the participant's structure and admins only; names unchanged (leak markers).
    route: 'PATCH /participants/:ref',
    req: () => ({ method: 'patch', path: `/participants/${A.participant}`, body: { sex: 'F', firstName: A.first } }),
    expect: m('200 200 404 403 403 403 403'),
  },
  { route: 'GET /contracts', req: get('/contracts'), expect: m('200 200 200 200 200 403 403') },
  { route: 'GET /contracts/:ref', req: get(`/contracts/${A.contract}`), expect: m('200 200 404 200 404 403 403') },
  {
    route: 'POST /contracts',
    req: (w) => ({
      method: 'post',
      path: '/contracts',
      body: {
        ref: `CN-${w}`,
        participantRef: A.participant,
        marcheRef: A.marche,
        employerSiret: SIRET_ETTI,
        contractType: 'CDD',
        mode: 'ETTI',
        startDate: '2024-06-01',
        endDate: '2024-09-30',
      },
    }),
    expect: m('201 201 403 403 403 403 403'),
  },
  {
    route: 'PATCH /contracts/:ref/outcome',
    req: () => ({ method: 'patch', path: `/contracts/${A.contract}/outcome`, body: { outcome: 'CDI' } }),
    expect: m('200 200 404 403 403 403 403'),
  },
  // hours
  {
    route: 'GET /contracts/:ref/hours',
    req: get(`/contracts/${A.contract}/hours`),
    expect: m('200 200 404 200 404 403 403'),
  },
  {
    route: 'POST /contracts/:ref/hours',
    req: () => ({
      method: 'post',
      path: `/contracts/${A.contract}/hours`,
      body: { month: '2024-04', hours: '1' },
      key: true,
    }),
    expect: m('201 201 404 403 403 403 403'),
  },
  {
    route: 'POST /hour-entries/:id/corrections',
    req: (_w, s, n) => ({
      method: 'post',
      path: `/hour-entries/${s.entryA}/corrections`,
      body: { hours: String(101 + n), reason: 'Erreur de saisie' },
      key: true,
    }),
    expect: m('201 201 404 403 403 403 403'),
  },
  { route: 'GET /closed-months', req: get('/closed-months'), expect: m('200 200 200 403 403 403 403') },
  {
    route: 'POST /closed-months',
    req: (w, _s, n) => ({
      method: 'post',
      path: '/closed-months',
      body: { structure: w === 'admin' ? A.structure : undefined, month: `2021-${String(n + 1).padStart(2, '0')}` },
    }),
    expect: m('201 201 201 403 403 403 403'),
  },
  {
    route: 'POST /closed-months/:structure/:month/reopen',
    req: (_w, _s, n) => ({
      method: 'post',
      path: `/closed-months/${A.structure}/2020-${String(n + 1).padStart(2, '0')}/reopen`,
      body: { reason: 'Correction tardive' },
    }),
    expect: m('200 403 403 403 403 403 403'),
  },
  // aggregates and reports
  { route: 'GET /progress', req: get('/progress'), expect: m('200 200 200 200 200 200 200', '200 401 401') },
  {
    route: 'GET /reports/hours',
    req: get('/reports/hours?groupBy=year,departement'),
    expect: m('200 200 200 403 403 200 200'),
  },
  {
    route: 'GET /reports/hours.:ext',
    req: get('/reports/hours.csv?groupBy=cite'),
    expect: m('200 200 200 403 403 200 200'),
  },
  { route: 'GET /reports/rsa', req: get('/reports/rsa?departement=62'), expect: m('200 200 200 403 403 403 200') },
  {
    route: 'GET /reports/rsa.:ext',
    req: get('/reports/rsa.csv?departement=62'),
    expect: m('200 200 200 403 403 403 200'),
  },
  // imports and exports
  {
    route: 'POST /imports/marches',
    req: () => ({
      method: 'post',
      path: '/imports/marches',
      body: csv(MARCHES_HEADER, [marcheLine({ ref: A.marche, cite: A.cite, siret: A.siret })]),
      type: 'text/csv',
    }),
    expect: m('200 200 422 403 403 403 403'),
  },
  {
    route: 'POST /imports/hours',
    req: () => ({
      method: 'post',
      path: '/imports/hours',
      body: csv(HOURS_HEADER, [
        hoursLine({
          marche: A.marche,
          contract: 'CI-1',
          participant: 'PI-1',
          month: '05/2024',
          start: '01/05/2024',
          end: '31/05/2024',
        }),
      ]),
      type: 'text/csv',
    }),
    expect: m('200 200 422 403 403 403 403'),
  },
  { route: 'GET /imports', req: get('/imports'), expect: m('200 200 200 403 403 403 403') },
  { route: 'GET /exports/hours.csv', req: get('/exports/hours.csv'), expect: m('200 200 200 403 403 403 403') },
  { route: 'GET /exports/hours.xlsx', req: get('/exports/hours.xlsx'), expect: m('200 200 200 403 403 403 403') },
  // attestations
  {
    route: 'POST /attestations',
    req: () => ({ method: 'post', path: '/attestations', body: { kind: 'clause', marcheRef: A.marche } }),
    expect: m('201 201 404 403 403 403 403'),
  },
  { route: 'GET /attestations', req: get('/attestations'), expect: m('200 200 200 200 200 200 200') },
  {
    route: 'GET /attestations/:number',
    req: (_w, s) => get(`/attestations/${s.attestationA}`)(),
    expect: m('200 200 404 200 404 404 404'),
  },
  {
    route: 'GET /attestations/:number.pdf',
    req: (_w, s) => get(`/attestations/${s.attestationA}.pdf`)(),
    expect: m('200 200 404 200 404 404 404'),
  },
  {
    route: 'POST /attestations/:number/revoke',
    req: (w, s) => ({
      method: 'post',
      path: `/attestations/${s.attestationOf[w]}/revoke`,
      body: { reason: `Erreur ${w}` },
    }),
    expect: m('200 200 404 403 403 403 403'),
  },
  {
    route: 'GET /attestations/verify/:code',
    req: get('/attestations/verify/AAAAAAAAAAAAAAAAAAAA'),
    expect: m('404 404 404 404 404 404 404', '404 401 401'),
  },
  // accounts and audit
  { route: 'GET /accounts', req: get('/accounts'), expect: m('200 403 403 403 403 403 403') },
  {
    route: 'POST /accounts',
    req: (w) => ({
      method: 'post',
      path: '/accounts',
      body: { role: 'departement', departement: '59', name: `Agent ${w}`, email: `agent-${w}@nord.fr` },
    }),
    expect: m('201 403 403 403 403 403 403'),
  },
  {
    route: 'GET /accounts/:id',
    req: (_w, s) => get(`/accounts/${s.accountIds.facA}`)(),
    expect: m('200 403 403 403 403 403 403'),
  },
  {
    route: 'POST /accounts/:id/tokens',
    req: (_w, s) => ({ method: 'post', path: `/accounts/${s.accountIds.facA}/tokens`, body: { label: 'x' } }),
    expect: m('201 403 403 403 403 403 403'),
  },
  {
    route: 'POST /accounts/:id/password',
    req: (_w, s) => ({
      method: 'post',
      path: `/accounts/${s.accountIds.withEmail}/password`,
      body: { password: 'un mot de passe solide' },
    }),
    expect: m('204 403 403 403 403 403 403'),
  },
  {
    route: 'PATCH /accounts/:id',
    req: (w, s) => ({ method: 'patch', path: `/accounts/${s.accountIds.facA}`, body: { function: `Fonction ${w}` } }),
    expect: m('200 403 403 403 403 403 403'),
  },
  {
    route: 'POST /tokens/:id/revoke',
    req: (w, s) => ({ method: 'post', path: `/tokens/${s.tokenIdOf[w]}/revoke` }),
    expect: m('200 403 403 403 403 403 403'),
  },
  { route: 'GET /audit', req: get('/audit?limit=5'), expect: m('200 403 403 403 403 403 403') },
  {
    route: 'POST /accounts/:id/disable',
    req: (_w, s) => ({ method: 'post', path: `/accounts/${s.accountIds.conB}/disable` }),
    expect: m('200 403 403 403 403 403 403'),
  },
];

// What each caller must never read, in any successful answer.
const identity = (s: typeof A) => [s.first, s.last, s.birth, s.birth.split('-').reverse().join('/')];
const refs = (s: typeof A) => [s.marche, s.participant, s.contract];
// Social data and identity fields a contractor never reads (it sees participants as ref + initials).
const socialFields = ['"categories"', '"rsaDepartement"', '"birthDate"', '"firstName"', '"lastName"', '"RSA"'];
const hidden: Record<Who, string[]> = {
  admin: [],
  none: [],
  revoked: [],
  disabled: [],
  facA: [...refs(B), ...identity(B)],
  facB: [...refs(A), ...identity(A)],
  conA: [...refs(B), ...identity(A), ...identity(B), ...socialFields],
  conB: [...refs(A), ...identity(A), ...identity(B), ...socialFields],
  dep59: [...refs(A), ...refs(B), ...identity(A), ...identity(B)],
  dep62: [...refs(A), ...refs(B), ...identity(A), ...identity(B)],
};

describe.each(engines)('authorisation matrix [%s]', (engine) => {
  let t: TestApp;
  let s: Seed;
  let http: ReturnType<typeof request>;
  beforeAll(async () => {
    t = await makeTestApp(engine);
    s = await seedMatrix(t);
    // The matrix sends many refused tokens on purpose: lift the failure rate limit here only.
    http = request(createApp({ ...t.ctx, config: { ...t.ctx.config, AUTH_FAILURE_RATE_LIMIT: 100_000 } }));
  }, 60_000);
  afterAll(async () => t?.destroy());

  it(`covers ${rows.length} routes × ${WHO.length} callers = ${rows.length * WHO.length} cells`, async () => {
    const wrong: string[] = [];
    // Admin last: its writes (disable, revoke) must not change what the others see first.
    const order = [...WHO.filter((w) => w !== 'admin'), 'admin' as const];
    for (const row of rows) {
      for (const [n, who] of order.entries()) {
        const q = row.req(who, s, n);
        let r = http[q.method](`/api/v1${q.path}`);
        const auth = s.auth[who];
        if (auth) r = r.set('Authorization', auth);
        if (q.key) r = r.set('Idempotency-Key', `matrix-${row.route}-${who}`);
        if (q.type) r = r.set('Content-Type', q.type);
        const res = await (q.body === undefined ? r : r.send(q.body as object));
        if (res.status !== row.expect[who])
          wrong.push(
            `${row.route} ${who}: ${res.status} (attendu ${row.expect[who]}) ${res.status >= 400 ? JSON.stringify(res.body?.error?.message ?? '') : ''}`,
          );
        if (res.status >= 500) wrong.push(`${row.route} ${who}: 500 ${JSON.stringify(res.body)}`);
        if (res.status < 300) {
          const text = res.type?.includes('json') ? JSON.stringify(res.body) : (res.text ?? '');
          for (const h of hidden[who]) if (text.includes(h)) wrong.push(`${row.route} ${who}: fuite de « ${h} »`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('checks leaks with markers that are really there for the admin', async () => {
    const all = JSON.stringify((await http.get('/api/v1/participants').set('Authorization', t.admin).expect(200)).body);
    for (const marker of [...identity(A).slice(0, 3), ...identity(B).slice(0, 3), A.participant, B.participant])
      expect(all).toContain(marker);
    const contracts = JSON.stringify(
      (await http.get('/api/v1/contracts').set('Authorization', t.admin).expect(200)).body,
    );
    for (const marker of [...refs(A), ...refs(B)]) expect(contracts).toContain(marker);
    // The contractors' forbidden fields are really in what a facilitator reads.
    for (const marker of socialFields.slice(0, 2)) expect(contracts).toContain(marker);
  });

  it('shows a contractor its contracts with the participant as ref and initials, nothing social', async () => {
    const list = await http.get('/api/v1/contracts').set('Authorization', s.auth.conA!).expect(200);
    const one = await http.get(`/api/v1/contracts/${A.contract}`).set('Authorization', s.auth.conA!).expect(200);
    const expected = {
      ref: A.contract,
      participantRef: A.participant,
      participantInitials: 'A. Z.',
      marcheRef: A.marche,
      employerSiret: SIRET_ETTI,
      contractType: 'CDD',
      mode: 'ETTI',
      startDate: '2024-02-01',
      endDate: '2024-12-31',
    };
    expect(list.body.items.find((c: { ref: string }) => c.ref === A.contract)).toEqual(expected);
    expect(one.body).toEqual(expected);
    const fac = await http.get(`/api/v1/contracts/${A.contract}`).set('Authorization', s.auth.facA!).expect(200);
    expect(fac.body).toMatchObject({ categories: ['RSA'], rsaDepartement: A.dep });
    expect(fac.body).toHaveProperty('exitOutcome');
  });
});

/** "METHOD /path" of every route registered under /api/v1, read from Express's own router. */
function apiRoutes(): string[] {
  const app = createApp({
    db: {} as never,
    clock: () => new Date(),
    config: loadConfig({} as NodeJS.ProcessEnv),
    logger: pino({ level: 'silent' }),
  }) as any;
  const api = app.router.stack.find(
    (l: any) =>
      l.handle?.stack && l.matchers?.some((m: any) => m('/api/v1/x')) && !l.matchers.some((m: any) => m('/x')),
  );
  const out: string[] = [];
  const walk = (stack: any[]) => {
    for (const l of stack) {
      if (l.route)
        for (const p of [l.route.path].flat())
          for (const meth of Object.keys(l.route.methods)) out.push(`${meth.toUpperCase()} ${p}`);
      else if (l.handle?.stack) walk(l.handle.stack);
    }
  };
  walk(api.handle.stack);
  return out;
}

describe('authorisation matrix coverage', () => {
  it('has a line for every /api/v1 route the app registers', () => {
    const registered = apiRoutes();
    expect(registered.length).toBeGreaterThan(40);
    const covered = new Set(rows.map((r) => r.route));
    // GET /reports/hours and GET /reports/hours.:ext share one handler; one line covers both.
    const missing = registered.filter((r) => !covered.has(r) && r !== 'GET /reports/hours.:ext');
    expect(missing, 'routes sans ligne dans la matrice').toEqual([]);
  });
});

export const MATRIX_SIZE = rows.length * WHO.length;

// Small cells: the same callers read breakdowns crossed with a person attribute. Each of A and
// B has one participant, so every such cell of the other scope must come back suppressed,
// every cell of one's own scope in figures; and a 404 of these features never names an
// object of another scope.
describe.each(engines)('authorisation matrix: small cells and 404 messages [%s]', (engine) => {
  let t: TestApp;
  let s: Seed;
  beforeAll(async () => {
    t = await makeTestApp(engine);
    s = await seedMatrix(t);
  }, 60_000);
  afterAll(async () => t?.destroy());

  const own: Partial<Record<Who, 'A' | 'B' | 'all'>> = {
    admin: 'all',
    facA: 'A',
    facB: 'B',
    dep62: 'A', // A's cité is in the Pas-de-Calais
    dep59: 'B',
  };

  it.each(['marche,category', 'marche,sex', 'cite,ageBand', 'year,marche', 'cite,sex'])(
    'groupBy=%s: suppressed outside the caller’s scope only',
    async (groupBy) => {
      const wrong: string[] = [];
      for (const [who, scope] of Object.entries(own) as Array<[Who, 'A' | 'B' | 'all']>) {
        const r = await t.http.get(`/api/v1/reports/hours?groupBy=${groupBy}`).set('Authorization', s.auth[who]!);
        expect(r.status).toBe(200);
        const person = /category|sex|ageBand/.test(groupBy);
        for (const row of r.body.rows as Array<Record<string, unknown>>) {
          const side = row.marche === A.marche || row.cite === A.cite ? 'A' : 'B';
          const hidden = person && scope !== 'all' && side !== scope;
          if (!!row.suppressed !== hidden || (hidden && row.beneficiaries !== null))
            wrong.push(`${who} ${JSON.stringify(row)}`);
        }
        expect(r.body.totals.beneficiaries).toBe(2);
      }
      expect(wrong).toEqual([]);
    },
  );

  it('answers 404 without naming what belongs to another scope', async () => {
    const attempts: Array<[Who, string, 'get' | 'post', object?]> = [
      ['facB', `/attestations/${s.attestationA}`, 'get'],
      ['facB', `/attestations/${s.attestationA}.pdf`, 'get'],
      ['conB', `/marches/${A.marche}/compliance`, 'get'],
      ['facB', '/attestations', 'post', { kind: 'clause', marcheRef: A.marche }],
      ['facB', '/attestations', 'post', { kind: 'participant', participantRef: A.participant }],
    ];
    for (const [who, path, method, body] of attempts) {
      const r = await t.http[method](`/api/v1${path}`).set('Authorization', s.auth[who]!).send(body);
      expect(r.status, path).toBe(404);
      const message = String(r.body.error.message);
      for (const secret of [A.contract, A.first, A.last, A.cite, 'Lens']) expect(message, path).not.toContain(secret);
    }
  });
});
