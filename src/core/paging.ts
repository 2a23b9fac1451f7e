import { z } from 'zod';
import { errors } from './errors.js';

// Paging of lists by key (keyset): a list is ordered on a unique key, a page is the rows
// after the last key of the previous page. The cursor is that key, opaque to callers
// (base64url of a small JSON array), so a list never skips or repeats a row when rows are
// added between two pages, and the cost of a page does not grow with its position.
// Rules: docs/reference-data.md.

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** The key of the last row of a page: the values of the list's order columns, in order. */
export type CursorKey = Array<string | number>;

export interface PageRequest {
  limit: number;
  /** Key of the last row already seen; null for the first page. */
  after: CursorKey | null;
}

export interface Page<T> {
  items: T[];
  /** Cursor of the next page; null on the last page. */
  nextCursor: string | null;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key inside a cursor, or null when the cursor was not made by `encodeCursor`. */
export function decodeCursor(cursor: string): CursorKey | null {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(cursor)) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(key) || key.length === 0 || key.length > 4) return null;
    if (!key.every((v) => (typeof v === 'string' && v.length <= 200) || Number.isSafeInteger(v))) return null;
    return key as CursorKey;
  } catch {
    return null;
  }
}

const BAD_CURSOR = 'Curseur de pagination invalide : reprenez la liste depuis le début (sans « cursor »).';
const LIMIT_MESSAGE = `La limite doit être un nombre entier entre 1 et ${MAX_LIMIT} (${DEFAULT_LIMIT} par défaut).`;

export const limitField = z
  .string({ error: LIMIT_MESSAGE })
  .optional()
  .transform((s, ctx) => {
    if (s === undefined || s === '') return DEFAULT_LIMIT;
    const n = /^\d{1,4}$/.test(s.trim()) ? Number(s.trim()) : Number.NaN;
    if (!(n >= 1 && n <= MAX_LIMIT)) {
      ctx.addIssue({ code: 'custom', message: LIMIT_MESSAGE });
      return z.NEVER;
    }
    return n;
  });

export const cursorField = z
  .string({ error: 'Curseur de pagination invalide.' })
  .optional()
  .transform((s, ctx) => {
    if (s === undefined || s === '') return null;
    const key = decodeCursor(s);
    if (!key) {
      ctx.addIssue({
        code: 'custom',
        message: BAD_CURSOR,
      });
      return z.NEVER;
    }
    return key;
  });

/** Query parameters of every paged list; features extend it with their filters. */
export const pageQuery = z.object({ limit: limitField, cursor: cursorField });

/** `{ limit, after }` from the parsed query. */
export const pageRequest = (q: { limit: number; cursor: CursorKey | null }): PageRequest => ({
  limit: q.limit,
  after: q.cursor,
});

/**
 * A page from rows read with `limit + 1` (the extra row only tells that a next page exists).
 * `keyOf` gives a row's order key, `view` its API shape.
 */
export function toPage<R, T>(rows: R[], page: PageRequest, keyOf: (r: R) => CursorKey, view: (r: R) => T): Page<T> {
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  return {
    items: kept.map(view),
    nextCursor: more && kept.length ? encodeCursor(keyOf(kept[kept.length - 1])) : null,
  };
}

/** The one string of a single-column key (refs, codes, SIRETs); a cursor of another list is refused. */
export function singleKey(page: PageRequest): string | null {
  if (!page.after) return null;
  const [k] = page.after;
  if (page.after.length !== 1 || typeof k !== 'string')
    throw errors.validation([{ path: 'cursor', message: BAD_CURSOR }]);
  return k;
}

/** A LIKE pattern that finds `text` anywhere, with `\` as the escape character. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Text search parameter (`q`): trimmed, 1 to 100 characters. */
export const searchField = z
  .string({ error: 'Recherche invalide.' })
  .trim()
  .max(100, 'Recherche trop longue (100 caractères au plus).')
  .optional()
  .transform((s) => (s ? s : undefined));
