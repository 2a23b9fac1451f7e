import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageQuery, toPage } from '../../src/core/paging.js';

describe('paging helpers', () => {
  it('round-trips a key through an opaque cursor', () => {
    for (const key of [['M-1'], ['é/ü « x »'], ['a', 42]]) {
      const c = encodeCursor(key);
      expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(c)).toEqual(key);
    }
  });

  it('refuses cursors it did not make', () => {
    const forged = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const c of ['', 'not base64!', 'eyJ', forged({ a: 1 }), forged([]), forged([null]), forged([1.5])])
      expect(decodeCursor(c)).toBeNull();
  });

  it('defaults the limit to 100 and refuses 0, 1001, decimals and words in French', () => {
    expect(pageQuery.parse({})).toEqual({ limit: 100, cursor: null });
    expect(pageQuery.parse({ limit: '1000' }).limit).toBe(1000);
    for (const limit of ['0', '1001', '1.5', 'dix', '-1', ['1', '2']]) {
      const r = pageQuery.safeParse({ limit });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/entier entre 1 et 1000/);
    }
    expect(pageQuery.safeParse({ cursor: 'x!' }).error?.issues[0]?.message).toMatch(/Curseur de pagination invalide/);
  });

  it('gives a next cursor only when a row beyond the page was read', () => {
    const page = { limit: 2, after: null };
    const key = (r: string) => [r];
    expect(toPage(['a', 'b', 'c'], page, key, (r) => r.toUpperCase())).toEqual({
      items: ['A', 'B'],
      nextCursor: encodeCursor(['b']),
    });
    expect(toPage(['a', 'b'], page, key, (r) => r)).toEqual({ items: ['a', 'b'], nextCursor: null });
  });
});
