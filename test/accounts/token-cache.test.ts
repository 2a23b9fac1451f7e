import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/knex.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { engines } from '../helpers/db.js';
import { recordSql } from '../helpers/sql-spy.js';

// On PostgreSQL a server keeps the accounts of the tokens used lately in memory. Another
// process (here: another connection pool, as the CLI or a second server would be) revoking a
// token, disabling an account or changing its role must be obeyed at once, not after the
// cache's lifetime (10 s): the database notifies every such change.

const pgUrl = process.env.TEST_DATABASE_URL;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!engines.includes('postgres'))('API tokens kept in memory [postgres]', () => {
  let t: TestApp;
  let other: Knex;
  let sql: string[] = [];
  const tokenQueries = () => sql.filter((text) => /from api_tokens/.test(text)).length;
  beforeEach(async () => {
    t = await makeTestApp('postgres');
    const schema = (t.db.client.config as { searchPath: string[] }).searchPath[0];
    other = createDb(pgUrl!, { schema });
    sql = recordSql(t.db);
  });
  afterEach(async () => {
    await other.destroy();
    await t.destroy();
  });

  const list = (auth: string) => t.http.get('/api/v1/closed-months').set('Authorization', auth);

  /** Requests until the token is served from memory (the listening connection is up). */
  async function untilCached(auth: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      await list(auth).expect(200);
      const before = tokenQueries();
      await list(auth).expect(200);
      if (tokenQueries() === before) return;
      await sleep(10);
    }
    throw new Error('jamais servi de la mémoire');
  }

  /** Milliseconds until a request with `auth` gets `status`. */
  async function msUntil(auth: string, status: number): Promise<number> {
    const t0 = performance.now();
    while (performance.now() - t0 < 5000) {
      if ((await list(auth)).status === status) return performance.now() - t0;
      await sleep(2);
    }
    return Number.POSITIVE_INFINITY;
  }

  it('serves a used token from memory and refuses it as soon as another process revokes it', async () => {
    const auth = await t.tokenFor('admin');
    // Five requests in a row without reading the token. Another test file changing its own
    // accounts meanwhile empties this cache too (the notification is database-wide): try again.
    let fromMemory = false;
    for (let attempt = 0; attempt < 10 && !fromMemory; attempt++) {
      await untilCached(auth);
      const before = tokenQueries();
      for (let i = 0; i < 5; i++) await list(auth).expect(200);
      fromMemory = tokenQueries() === before;
    }
    expect(fromMemory).toBe(true);

    const hash = (await other('api_tokens').orderBy('id', 'desc').first('token_hash')).token_hash;
    await other('api_tokens').where({ token_hash: hash }).update({ revoked_at: '2026-11-24T10:05:00.000Z' });
    expect(await msUntil(auth, 401)).toBeLessThan(1000);
  });

  it('obeys an account disabled, or given another role, by another process', async () => {
    const newest = async () => (await other('accounts').orderBy('id', 'desc').first('id')).id as number;
    const demoted = await t.tokenFor('admin');
    const demotedId = await newest();
    const disabled = await t.tokenFor('admin');
    const disabledId = await newest();
    await untilCached(demoted);
    await untilCached(disabled);
    await other('accounts').where({ id: demotedId }).update({ role: 'departement', departement_code: '62' });
    expect(await msUntil(demoted, 403)).toBeLessThan(1000); // closed months: not for a Département
    await other('accounts').where({ id: disabledId }).update({ disabled_at: '2026-11-24T10:05:00.000Z' });
    expect(await msUntil(disabled, 401)).toBeLessThan(1000);
  });

  it('obeys at once a revocation this process made itself, before the notification arrives', async () => {
    // The notification comes a moment after the commit: the very next request must not be
    // answered from memory meanwhile (the service forgets the tokens when it commits).
    for (let i = 0; i < 5; i++) {
      const auth = await t.tokenFor('admin');
      await untilCached(auth);
      const id = (await other('api_tokens').orderBy('id', 'desc').first('id')).id as number;
      await t.http.post(`/api/v1/tokens/${id}/revoke`).set('Authorization', t.admin).expect(200);
      await list(auth).expect(401);
    }
  });
});
