import type { Request } from 'express';
import type { z } from 'zod';
import { decodeCursor, type Page, type PageRequest } from '../core/paging.js';
import { AppError, type Noun } from '../core/errors.js';

// Forms of the pages: the API's own zod schemas parse them (one set of rules and French
// messages), and each message is shown next to its field.

export type FieldErrors = Record<string, string>;

/** Form values with blank fields left out (an empty optional field is an absent one). */
export function formValues(body: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (k === '_csrf') continue;
    if (typeof v === 'string' && v.trim() !== '') out[k] = v;
    if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

export function parseForm<S extends z.ZodType>(
  schema: S,
  values: Record<string, unknown>,
): { ok: true; data: z.infer<S> } | { ok: false; errors: FieldErrors } {
  const r = schema.safeParse(values);
  if (r.success) return { ok: true, data: r.data };
  const errors: FieldErrors = {};
  for (const i of r.error.issues) {
    const key = String(i.path[0] ?? '_');
    errors[key] ??= i.message;
  }
  return { ok: false, errors };
}

/**
 * A service's refusal, placed next to the field it is about when there is one (a duplicate
 * ref, an unknown marché...), else in the form's summary (`_`).
 */
export function serviceErrors(e: unknown, fields: Partial<Record<Noun | 'ref' | 'dates', string>>): FieldErrors {
  if (!(e instanceof AppError) || e.kind === 'internal' || e.kind === 'unauthenticated') throw e;
  const key =
    e.code === 'duplicate_ref' || e.code === 'duplicate_email'
      ? fields.ref
      : e.code === 'invalid_dates'
        ? fields.dates
        : e.about
          ? fields[e.about]
          : undefined;
  if (e.details.length) {
    const out: FieldErrors = {};
    for (const d of e.details) out[d.path && d.path in fields ? String(d.path) : (d.path ?? '_')] ??= d.message;
    return out;
  }
  return { [key ?? '_']: e.message };
}

/** One page of a list, with the links to the pages around it. */
export function paginate<T>(items: T[], pageParam: unknown, base: string, query: Record<string, string>, size = 50) {
  const total = items.length;
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, Number(pageParam) || 1), pages);
  const link = (p: number) => {
    const q = new URLSearchParams({
      ...Object.fromEntries(Object.entries(query).filter(([, v]) => v)),
      page: String(p),
    });
    return `${base}?${q}`;
  };
  const shown = items.slice((page - 1) * size, page * size);
  return {
    items: shown,
    pager: {
      shown: shown.length,
      first: null,
      prev: page > 1 ? link(page - 1) : null,
      next: page < pages ? link(page + 1) : null,
    },
  };
}

/** Case- and accent-insensitive search in a few fields. */
export function matches(q: string, ...fields: Array<string | null | undefined>): boolean {
  const norm = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  const needle = norm(q.trim());
  return !needle || fields.some((f) => f && norm(f).includes(needle));
}

export const PAGE_SIZE = 50;
/** Every row at once, for the choices of a form and the sub-lists of a detail page. */
export const ALL: PageRequest = { limit: 1000, after: null };

/** The page a list shows: `?curseur=` of the previous page's last row (an unknown one starts over). */
export function pageOf(req: Request): PageRequest {
  const c = typeof req.query.curseur === 'string' ? decodeCursor(req.query.curseur) : null;
  return { limit: PAGE_SIZE, after: c };
}

/** Links of a keyset-paged list: the next page, and back to the first. */
export function pagerOf<T>(page: Page<T>, req: Request, base: string, query: Record<string, string>) {
  const q = (extra: Record<string, string>) =>
    new URLSearchParams({ ...Object.fromEntries(Object.entries(query).filter(([, v]) => v)), ...extra }).toString();
  const paged = typeof req.query.curseur === 'string';
  return {
    shown: page.items.length,
    next: page.nextCursor ? `${base}?${q({ curseur: page.nextCursor })}` : null,
    first: paged ? `${base}?${q({})}` : null,
  };
}
