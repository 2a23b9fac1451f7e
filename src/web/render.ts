import path from 'node:path';
import { TEMPLATES_DIR as ROOT_TEMPLATES_DIR } from '../paths.js';
import type { Response } from 'express';
import nunjucks from 'nunjucks';
import { formatDateFr } from '../lib/dates.js';
import { formatHoursFr } from '../lib/hours.js';
import { formatIntFr, formatMonthFr, formatOneDecimalFr } from '../lib/html.js';

// The one template engine of the web pages: Nunjucks with autoescape on, so that every value
// printed by a template is escaped unless a template says otherwise. Templates live in
// templates/web; pages give them a view-model, never HTML.

export const TEMPLATES_DIR = path.join(ROOT_TEMPLATES_DIR, 'web');

const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATES_DIR, { noCache: false }), {
  autoescape: true,
  throwOnUndefined: false,
  trimBlocks: true,
  lstripBlocks: true,
});

const hoursOf = (h: unknown) => formatHoursFr(Math.round(Number(h ?? 0) * 100));
/** 151,67 (no unit): the value of an hours field. */
const hoursInput = (centihours: number) =>
  centihours === 0 ? '' : (centihours / 100).toFixed(2).replace('.', ',').replace(/,00$/, '');

env.addFilter('hours', hoursOf); // hours as a number (API views): 151.67 → 151,67 h
env.addFilter('centihours', (c: unknown) => formatHoursFr(Number(c ?? 0)));
env.addFilter('hoursInput', (c: unknown) => hoursInput(Number(c ?? 0)));
env.addFilter('int', (n: unknown) => formatIntFr(Number(n ?? 0)));
env.addFilter('pct', (n: unknown) => `${formatOneDecimalFr(Number(n ?? 0))}\u00a0%`);
env.addFilter('month', (m: unknown) => (m ? formatMonthFr(String(m)) : ''));
env.addFilter('date', (d: unknown) => (d ? formatDateFr(String(d).slice(0, 10)) : ''));
env.addFilter('datetime', (d: unknown) =>
  d ? `${formatDateFr(String(d).slice(0, 10))} à ${String(d).slice(11, 16)} (UTC)` : '',
);
env.addFilter('cap', (n: unknown, max: unknown) => Math.max(0, Math.min(Number(n ?? 0), Number(max ?? 0))));
env.addFilter('plural', (n: unknown, one: string, many: string) => (Number(n) > 1 ? many : one));

export { hoursInput };

/** Renders a template of templates/web to a string. */
export function renderTemplate(name: string, data: Record<string, unknown>): string {
  return env.render(name, data);
}

/**
 * Sends a page: the template gets the request's locals (user, csrf, navigation) and `data`.
 * Pages are `no-store` (forms carry CSRF tokens, most show people), except the public ones
 * (the dashboard a minute; the verification page revalidated each time, so that a revocation
 * shows at once); src/http/cache.ts still makes any answer to a signed-in caller `no-store`.
 */
export function sendPage(
  res: Response,
  name: string,
  data: Record<string, unknown>,
  status = 200,
  opts: { publicMaxAge?: number } = {},
): void {
  const html = renderTemplate(name, { ...res.locals, ...data });
  const cache = opts.publicMaxAge !== undefined && status === 200 ? `public, max-age=${opts.publicMaxAge}` : 'no-store';
  res.status(status).type('html').set('Cache-Control', cache).send(html);
}
