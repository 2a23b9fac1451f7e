import type { RouteInfo } from './routes.js';

// Generators of hostile requests for the fuzz test, from a seeded generator (same seed, same
// requests). Two families:
// - `boundary`: carries something no route may ever see (NUL, a lone surrogate, a bad
//   percent-encoding, an overlong value) in the path, the query, a header or a JSON body;
//   the answer must be exactly 400 (a 404 page for a page address that cannot be decoded).
// - `odd`: well encoded but wrong or surprising (other scopes' refs, huge numbers, wrong
//   types, SQL and path tricks, broken JSON and CSV, odd content types); any status but 5xx.

/** mulberry32: small, fast, seeded. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick<T>(xs: readonly T[]): T {
      return xs[Math.floor(next() * xs.length)];
    },
    chance: (p: number) => next() < p,
  };
}
export type Rng = ReturnType<typeof rng>;

export interface HostileRequest {
  family: 'boundary' | 'odd';
  where: 'path' | 'query' | 'header' | 'body' | 'none';
  method: string;
  path: string; // raw, already percent-encoded, ASCII only
  headers: Record<string, string>;
  body?: Buffer;
}

// Raw (percent-encoded) pieces of a URL that the boundary must refuse.
const BAD_URL_PIECES = [
  '%00',
  'a%00b',
  '%ED%A0%80', // a lone surrogate written in UTF-8: not valid UTF-8
  '%ED%B0%80x',
  '%E0%A4%A', // truncated sequence
  '%',
  'ab%',
  '%zz',
  '%uD800',
  '%C0%AF', // overlong UTF-8
  '%FF%FE',
  '%F4%90%80%80', // beyond U+10FFFF
];
const overlong = (r: Rng, min: number) => 'x'.repeat(min + r.int(3000));

// JSON text fragments (already escaped) that the boundary must refuse inside a JSON body.
const BAD_JSON_STRINGS = ['"\\u0000"', '"a\\u0000b"', '"\\ud800"', '"x\\udc00"', '"\\ud83d"', '"\\udfff\\ud800"'];

const QUERY_NAMES = [
  'programme',
  'from',
  'to',
  'groupBy',
  'departement',
  'dryRun',
  'limit',
  'before',
  'format',
  'kind',
  'status',
  'action',
  'entity',
  'ref',
  'account',
  'marche',
  'fileName',
  'mois',
  'fin',
  'cite',
];

const BODY_FIELDS = [
  'ref',
  'code',
  'name',
  'commune',
  'epci',
  'citeCode',
  'title',
  'siret',
  'contractorSiret',
  'contractorName',
  'amountEur',
  'requiredHours',
  'startDate',
  'endDate',
  'firstName',
  'lastName',
  'birthDate',
  'sex',
  'structure',
  'participantRef',
  'marcheRef',
  'employerSiret',
  'contractType',
  'mode',
  'categories',
  'rsaDepartement',
  'month',
  'hours',
  'reason',
  'outcome',
  'kind',
  'departement',
  'from',
  'to',
  'role',
  'email',
  'password',
  'label',
  'contractor',
];

/** Values that are well encoded but odd. `known` are real refs of the seed (both scopes). */
function oddString(r: Rng, known: string[]): string {
  return r.pick([
    () => r.pick(known),
    () => '',
    () => ' ',
    () => 'é',
    () => '😀',
    () => '\u202e\u2028',
    () => "' OR 1=1 --",
    () => '"; DROP TABLE hour_entries; --',
    () => '../../etc/passwd',
    () => '99999999999999999999',
    () => '-1',
    () => '0',
    () => '1e309',
    () => 'NaN',
    () => 'Infinity',
    () => '151,675',
    () => '2024-13',
    () => '31/02/2024',
    () => '0000-00-00',
    () => '9999-12-31',
    () => '13/2024',
    () => 'null',
    () => '__proto__',
    () => 'constructor',
    () => 'true',
    () => 'year,departement',
    () => 'marche,sex,ageBand',
    () => 'x'.repeat(65 + r.int(180)),
    () => 'ÿ'.repeat(10),
    () => '<script>alert(1)</script>',
    () => '%00',
    () => '\t\r\n',
  ])();
}

function oddJsonValue(r: Rng, known: string[], depth = 0): unknown {
  const k = r.int(depth > 2 ? 8 : 11);
  if (k < 5) return oddString(r, known);
  if (k === 5) return r.pick([0, -1, 1.005, 235.01, 1e308, -1e308, 2 ** 53 + 1, 151.67, 99999999999]);
  if (k === 6) return r.pick([null, true, false]);
  if (k === 7) return r.pick(['RSA', 'PIRATE', 'JEUNE', '62', '2024-03', '100', 'CDD', 'ETTI', 'clause', 'admin']);
  if (k === 8) return Array.from({ length: r.int(4) }, () => oddJsonValue(r, known, depth + 1));
  if (k === 9) return { [r.pick(BODY_FIELDS)]: oddJsonValue(r, known, depth + 1) };
  return r.pick(known);
}

const enc = (s: string) => encodeURIComponent(s);
/** What a header can carry: the UTF-8 bytes as Latin-1 characters, control characters removed. */
const headerSafe = (s: string) =>
  Buffer.from(s, 'utf8')
    .toString('latin1')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters cannot go in a header.
    .replace(/[\x00-\x1f\x7f]/g, '');

/** The route's path with its parameters filled: a known ref most of the time, or something odd. */
function fillPath(r: Rng, route: RouteInfo, known: Record<string, string[]>, allKnown: string[]): string {
  return route.path.replace(/:(\w+)/g, (_m, name: string) => {
    const real = known[name];
    if (real && r.chance(0.6)) return enc(r.pick(real));
    return enc(oddString(r, allKnown));
  });
}

function oddCsv(r: Rng, known: string[]): Buffer {
  const header =
    'marche_ref;contract_ref;participant_ref;birth_date;sex;categories;rsa_departement;employer_siret;contract_type;mode;contract_start;contract_end;month;hours';
  const cell = () => {
    const k = r.int(5);
    if (k === 0) return 'a\u0000b';
    if (k === 1) return '"unterminated';
    return oddString(r, known).replace(/[;\n\r]/g, '');
  };
  const lines = [r.chance(0.8) ? header : 'a,b,c'];
  for (let i = 0; i < 1 + r.int(4); i++) lines.push(Array.from({ length: 14 }, cell).join(';'));
  const text = lines.join(r.chance(0.5) ? '\r\n' : '\n');
  const k = r.int(6);
  if (k === 0) return Buffer.concat([Buffer.from(text), Buffer.from([0xed, 0xa0, 0x80, 0xff, 0x00])]);
  if (k === 1) return Buffer.from(`\ufeff${text}`, 'utf16le');
  if (k === 2) return Buffer.from(text, 'latin1');
  return Buffer.from(text);
}

export interface Callers {
  /** Authorization header values by role (null: anonymous). */
  bearer: Array<string | null>;
  /** Cookie header of a live web session. */
  sessionCookie: string;
}

function authHeaders(r: Rng, route: RouteInfo, callers: Callers): Record<string, string> {
  if (!route.api) return r.chance(0.5) ? { cookie: callers.sessionCookie } : {};
  const b = r.pick(callers.bearer);
  return b ? { authorization: b } : {};
}

/** A request that must be refused at the boundary: one hostile piece at a random place. */
export function boundaryRequest(
  r: Rng,
  routes: RouteInfo[],
  callers: Callers,
  known: Record<string, string[]>,
): HostileRequest {
  const route = r.pick(routes);
  const allKnown = Object.values(known).flat();
  const headers: Record<string, string> = authHeaders(r, route, callers);
  let path = fillPath(r, route, known, allKnown);
  let query = '';
  let body: Buffer | undefined;
  const hasParam = route.path.includes(':');
  const places: HostileRequest['where'][] = ['query', 'header'];
  if (route.path.startsWith('/api/')) places.push('body', 'body');
  if (hasParam) places.push('path', 'path');
  const where = r.pick(places);
  const bad = r.chance(0.15) ? overlong(r, 1100) : r.pick(BAD_URL_PIECES);
  if (where === 'path') {
    const params = [...route.path.matchAll(/:(\w+)/g)].length;
    let i = r.int(params);
    path = route.path.replace(/:(\w+)/g, (_m, name: string) => {
      const here = i-- === 0;
      if (here) return r.chance(0.2) ? overlong(r, 300) : r.pick(BAD_URL_PIECES);
      return enc(r.pick(known[name] ?? ['x']));
    });
  } else if (where === 'query') {
    const name = r.pick(QUERY_NAMES);
    query = r.chance(0.2) ? `?${bad}=1` : `?${name}=${bad}`;
    if (r.chance(0.3)) query += `&${r.pick(QUERY_NAMES)}=${enc(oddString(r, allKnown))}`;
  } else if (where === 'header') {
    const name = r.pick(['idempotency-key', 'x-request-id', 'accept-language', 'authorization', 'x-anything']);
    headers[name] = name === 'authorization' ? `Bearer ${overlong(r, 4100)}` : overlong(r, 4100);
  } else {
    headers['content-type'] = 'application/json';
    const field = r.pick(BODY_FIELDS);
    const k = r.int(5);
    const depth = 40 + r.int(2000);
    const badJson = k === 0 ? `"${'x'.repeat(20_001 + r.int(5000))}"` : r.pick(BAD_JSON_STRINGS);
    const json =
      k === 1
        ? `{"${field}":${'['.repeat(depth)}1${']'.repeat(depth)}}`
        : k === 2
          ? `{${badJson}:1}`
          : k === 3
            ? `{"${field}":[1,{"x":${badJson}}]}`
            : `{"${field}":${badJson}}`;
    body = Buffer.from(json);
  }
  return { family: 'boundary', where, method: route.method, path: path + query, headers, body };
}

/** A well-encoded but odd request: wrong types, other scopes, broken JSON and CSV... */
export function oddRequest(
  r: Rng,
  routes: RouteInfo[],
  callers: Callers,
  known: Record<string, string[]>,
): HostileRequest {
  const route = r.pick(routes);
  const allKnown = Object.values(known).flat();
  const headers: Record<string, string> = authHeaders(r, route, callers);
  const path = fillPath(r, route, known, allKnown);
  const params: string[] = [];
  for (let i = 0; i < r.int(4); i++) params.push(`${r.pick(QUERY_NAMES)}=${enc(oddString(r, allKnown))}`);
  if (r.chance(0.1)) params.push('groupBy=a&groupBy=b');
  const query = params.length ? `?${params.join('&')}` : '';
  if (r.chance(0.5))
    headers['idempotency-key'] = r.chance(0.9) ? `fuzz-${r.int(1e9)}` : headerSafe(oddString(r, allKnown));
  let body: Buffer | undefined;
  if (route.method !== 'GET') {
    const k = r.int(10);
    if (route.path.includes('/imports/') && k < 6) {
      headers['content-type'] = r.pick(['text/csv', 'text/csv', 'text/plain', 'application/octet-stream']);
      body = oddCsv(r, allKnown);
    } else if (k < 7) {
      headers['content-type'] = r.pick([
        'application/json',
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
      ]);
      const obj: Record<string, unknown> = {};
      for (let i = 0; i < 1 + r.int(8); i++) obj[r.pick(BODY_FIELDS)] = oddJsonValue(r, allKnown);
      body = Buffer.from(JSON.stringify(obj));
    } else if (k === 7) {
      headers['content-type'] = 'application/json';
      body = Buffer.from(r.pick(['{"ref":', '[', 'null', '"x"', '1e999', '{}', '[]', '\u00ff\u00fe', '{"a":1,}']));
    } else if (k === 8) {
      headers['content-type'] = r.pick(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']);
      const value = () => (r.chance(0.3) ? 'a%00b' : enc(oddString(r, allKnown)));
      body = Buffer.from(`email=${value()}&password=${value()}&_csrf=${value()}&mois=${value()}`);
    } else {
      headers['content-type'] = 'application/json';
      body = Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0xed, 0xa0, 0x80, 0x7d]);
    }
  }
  return { family: 'odd', where: 'none', method: route.method, path: path + query, headers, body };
}
