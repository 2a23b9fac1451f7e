import type { Request, RequestHandler } from 'express';
import { errors } from '../core/errors.js';

// The first gate of every request: what no route can store or even compare safely is refused
// here with a 400, before authentication, routing or the database see it.
// - a bad percent-encoding (`%E0%A4%A`) would make Express's own decoding throw;
// - NUL (U+0000): PostgreSQL refuses it in text values, so a lookup would crash there;
// - a lone UTF-16 surrogate (`\ud800` in JSON): SQLite and Node's UTF-8 encoders choke on it;
// - overlong values: nothing in the ledger is that long, and messages would echo them back.
// The same checks apply to JSON bodies (`checkJsonBody`, after the JSON parser).

export const LIMITS = {
  url: 4096,
  pathSegment: 256,
  queryValue: 1024,
  queryParams: 50,
  header: 4096,
  jsonString: 20_000,
  jsonDepth: 32,
  jsonNodes: 100_000,
} as const;

// A high surrogate not followed by a low one, or a low one not preceded by a high one; or NUL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is precisely what is refused.
const FORBIDDEN = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const hasForbiddenChar = (s: string): boolean => FORBIDDEN.test(s);

function decodeStrict(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Checks one decoded value; `where` names it in the French message (never its content). */
function checkValue(value: string, where: string, max: number) {
  if (value.length > max) throw errors.inputTooLong(where, max);
  if (hasForbiddenChar(value)) throw errors.forbiddenCharacter(where);
}

/** JSON answers for the API and the health check; French HTML pages for everything else. */
export const isApiRequest = (req: Request): boolean => /^\/(api\/|healthz\b)/.test(req.originalUrl ?? req.url);

function checkPath(path: string) {
  for (const segment of path.split('/')) {
    const decoded = decodeStrict(segment);
    if (decoded === undefined) throw errors.badPercentEncoding('le chemin');
    checkValue(decoded, 'le chemin', LIMITS.pathSegment);
  }
}

/** Path, query string and header values of every request. */
export const boundary: RequestHandler = (req, _res, next) => {
  const url = req.originalUrl ?? req.url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  try {
    if (path.length > LIMITS.url) throw errors.inputTooLong('le chemin', LIMITS.url);
    checkPath(path);
  } catch (e) {
    // A page address that cannot even be decoded names no page: for a browser, "not found".
    if (!isApiRequest(req)) throw errors.routeNotFound(req.method, '');
    throw e;
  }
  if (url.length > LIMITS.url) throw errors.inputTooLong('l’adresse', LIMITS.url);
  if (q >= 0) {
    const pairs = url.slice(q + 1).split('&');
    if (pairs.length > LIMITS.queryParams) throw errors.invalidInput('Trop de paramètres dans l’adresse.');
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      const name = decodeStrict(rawName.replace(/\+/g, ' '));
      if (name === undefined) throw errors.badPercentEncoding('l’adresse');
      const label = name.length <= 40 && !hasForbiddenChar(name) ? `le paramètre « ${name} »` : 'un paramètre';
      checkValue(name, label, LIMITS.queryValue);
      if (eq < 0) continue;
      const value = decodeStrict(pair.slice(eq + 1).replace(/\+/g, ' '));
      if (value === undefined) throw errors.badPercentEncoding(label);
      checkValue(value, label, LIMITS.queryValue);
    }
  }
  for (const [name, value] of Object.entries(req.headers)) {
    for (const v of [value ?? ''].flat()) checkValue(v, `l’en-tête « ${name} »`, LIMITS.header);
  }
  next();
};

/** Every string (and key) of a parsed JSON body, iteratively: deep nesting cannot overflow. */
export const checkJsonBody: RequestHandler = (req, _res, next) => {
  const body: unknown = req.body;
  if (body === null || typeof body !== 'object') return next();
  const stack: Array<[unknown, number, string]> = [[body, 0, '']];
  let nodes = 0;
  while (stack.length) {
    const [value, depth, path] = stack.pop()!;
    if (++nodes > LIMITS.jsonNodes) throw errors.invalidInput('Le corps JSON contient trop d’éléments.');
    const where = path ? `le champ « ${path} »` : 'le corps JSON';
    if (typeof value === 'string') {
      checkValue(value, where, LIMITS.jsonString);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= LIMITS.jsonDepth) throw errors.invalidInput('Le corps JSON est trop imbriqué.');
    for (const [k, v] of Object.entries(value)) {
      const keyPath = path ? `${path}.${k}` : k;
      const safePath = keyPath.length <= 80 && !hasForbiddenChar(keyPath) ? keyPath : '…';
      checkValue(k, `un nom de champ${safePath === '…' ? '' : ` (« ${safePath} »)`}`, 200);
      stack.push([v, depth + 1, safePath]);
    }
  }
  next();
};
