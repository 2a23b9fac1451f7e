import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import command from '../../src/structures/structures.command.js';
import { allCommands } from '../../src/features.js';

// The structures and their codes: what `accounts create --structure` and participants name.
describe.each(engines)('structures [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp(engine)));
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.destroy();
  });

  it('GET /api/v1/structures lists every structure with its EPCIs, in code order', async () => {
    const dep = await t.tokenFor('departement', { departement: '59' });
    const r = await t.http.get('/api/v1/structures').set('Authorization', dep).expect(200);
    expect(r.body.items.map((s: { code: string }) => s.code)).toEqual([
      'ccco-regie',
      'plie-bethune',
      'plie-douaisis',
      'plie-lens-henin',
      'plie-osartis',
      'plie-porte-hainaut',
      'plie-valenciennes',
    ]);
    expect(r.body.items[3]).toEqual({
      code: 'plie-lens-henin',
      name: 'PLIE Lens-Liévin / Hénin-Carvin',
      kind: 'plie',
      epcis: ['cahc', 'call'],
    });
    await t.http.get('/api/v1/structures').expect(401);
  });

  it('`npm run cli -- structures` prints a header then one line per structure', async () => {
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    expect(Object.keys(allCommands())).toContain('structures');
    expect(await command.run(t.ctx, [])).toBe(0);
    expect(out[0]).toMatch(/^Code\s+Type\s+EPCI\s+Nom$/);
    expect(out).toHaveLength(8);
    expect(out.find((l) => l.startsWith('plie-osartis'))).toMatch(/^plie-osartis\s+EPCI en régie\s+ccom\s+Osartis/);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await command.run(t.ctx, ['extra'])).toBe(2);
  });
});
