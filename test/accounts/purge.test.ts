import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract } from '../helpers/fixtures.js';
import command from '../../src/participants/purge.command.js';
import { parseAge } from '../../src/participants/purge.service.js';

// "Now" is mid-2030: P-OLD's last hours (2024) are more than 5 years old, P-NEW's (2025-12) are not.
const NOW = new Date('2030-06-15T10:00:00.000Z');

describe.each(engines)('participants purge [%s]', (engine) => {
  let t: TestApp;
  let out: string[];
  beforeEach(async () => {
    t = await makeTestApp(engine, { now: NOW });
    out = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    await seedContract(t, {
      participant: 'P-OLD',
      contract: 'C-OLD',
      categories: ['RSA'],
      rsaDepartement: '62',
      birthDate: '2001-03-04',
    });
    await seedContract(t, {
      participant: 'P-NEW',
      contract: 'C-NEW',
      start: '2025-01-01',
      end: '2025-12-31',
      birthDate: '1970-08-09',
    });
    await postHours(t, 'C-OLD', '2024-03', '151,67').expect(201);
    await postHours(t, 'C-OLD', '2024-04', '35').expect(201);
    await postHours(t, 'C-NEW', '2025-12', '20').expect(201);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.destroy();
  });

  /** Every figure the service gives, as the admin reads them. */
  async function figures() {
    const get = async (path: string) =>
      (await t.http.get(`/api/v1${path}`).set('Authorization', t.admin).expect(200)).body;
    return {
      progress: await get('/progress'),
      byCategory: await get('/reports/hours?groupBy=year,category'),
      bySex: await get('/reports/hours?groupBy=sex,departement'),
      rsa: await get('/reports/rsa?departement=62'),
      ledgers: [await get('/contracts/C-OLD/hours'), await get('/contracts/C-NEW/hours')],
      compliance: await get('/marches/M-1/compliance'),
      contracts: await get('/contracts'),
    };
  }

  it('dry-runs by default, then pseudonymises only the old participant, with every total unchanged', async () => {
    const before = await figures();
    expect(before.progress.realisedHours).toBe(206.67);
    const rows = await t.db('participants').orderBy('ref');

    expect(await command.run(t.ctx, ['purge', '--older-than', '5y'])).toBe(0);
    expect(out.join('\n')).toMatch(/1 participant sans heures depuis 06\/2025.*simulation/);
    expect(out.join('\n')).toContain('P-OLD');
    expect(await t.db('participants').orderBy('ref')).toEqual(rows);

    expect(await command.run(t.ctx, ['purge', '--older-than', '5y', '--apply'])).toBe(0);
    const old = await t.db('participants').where({ ref: 'P-OLD' }).first();
    expect(old).toMatchObject({
      first_name: null,
      last_name: null,
      birth_date: '2001-01-01',
      pseudonymised_at: NOW.toISOString(),
    });
    const kept = await t.db('participants').where({ ref: 'P-NEW' }).first();
    expect(kept).toMatchObject({
      first_name: 'Léa',
      last_name: 'Martin',
      birth_date: '1970-08-09',
      pseudonymised_at: null,
    });

    expect(await figures()).toEqual(before);
    // Audited as the command line's system account, like every CLI write.
    const logged = await t
      .db('audit_log as l')
      .join('accounts as a', 'a.id', 'l.account_id')
      .where('l.action', 'participant.purge')
      .first('a.email');
    expect(logged?.email).toBe('systeme@ligne-de-commande.local');
    const p = await t.http.get('/api/v1/participants/P-OLD').set('Authorization', t.admin).expect(200);
    expect(p.body).toMatchObject({ ref: 'P-OLD', firstName: null, lastName: null });
    const audit = await t.db('audit_log').where({ action: 'participant.purge' });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].details)).toEqual({ cutoffMonth: '2025-06', count: 1 });

    // Twice is once.
    out.length = 0;
    expect(await command.run(t.ctx, ['purge', '--older-than', '5y', '--apply'])).toBe(0);
    expect(out.join('\n')).toMatch(/^0 participant/);
  });

  it('uses the retention setting without --older-than, and refuses an unreadable duration', async () => {
    t.ctx.config.RETENTION_YEARS = 4; // cut-off 06/2026: both participants are older
    expect(await command.run(t.ctx, ['purge'])).toBe(0);
    expect(out.join('\n')).toMatch(/2 participants sans heures depuis 06\/2026/);
    expect(await command.run(t.ctx, ['purge', '--older-than', 'longtemps'])).toBe(2);
    expect(await command.run(t.ctx, ['erase'])).toBe(2);
    expect(parseAge('5y')).toBe(60);
    expect(parseAge('5 ans')).toBe(60);
    expect(parseAge('18m')).toBe(18);
  });
});
