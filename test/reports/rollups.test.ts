import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract } from '../helpers/fixtures.js';
import { applyMonthChanges } from '../../src/hours/rollups.js';
import {
  checkRollups,
  linkStructureEpcis,
  rebuildRollups,
  updateCiteGrouping,
} from '../../src/reports/rollups/index.js';
import check from '../../src/reports/rollups/check.command.js';
import { seedReference } from '../../db/seeds/reference/load.js';

// The rollups' one entry point (src/reports/rollups/index.ts): upkeep with a (contract, month)
// repeated in a batch, changes of grouped-by facts through it, and `reports:check`.

describe.each(engines)('report rollups: entry point and check [%s]', (engine) => {
  let t: TestApp;
  let out: string[];
  beforeEach(async () => {
    t = await makeTestApp(engine);
    await seedContract(t, { contract: 'C-1', categories: ['RSA'], rsaDepartement: '62' });
    await seedContract(t, { contract: 'C-2', marche: 'M-2', cite: 'darcy-henin', participant: 'P-2' });
    await postHours(t, 'C-1', '2024-03', '20').expect(201);
    await postHours(t, 'C-2', '2024-04', '30').expect(201);
    out = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.destroy();
  });

  const idOf = async (ref: string) => Number((await t.db('contracts').where({ ref }).first()).id);

  it('keeps first and last totals of a (contract, month) repeated in one batch', async () => {
    const c1 = await idOf('C-1');
    const c2 = await idOf('C-2');
    await t.db.transaction(async (trx) => {
      // C-1 2024-05: 0 -> 10 -> 25; C-1 2024-03: 20 -> 0 -> 5 (no flip overall);
      // C-2 2024-06: 0 -> 12 -> 0 (flips up then back: no person-month in the end).
      await applyMonthChanges(trx, [
        { contractId: c1, month: '2024-05', delta: 1000, newTotal: 1000 },
        { contractId: c1, month: '2024-03', delta: -2000, newTotal: 0 },
        { contractId: c2, month: '2024-06', delta: 1200, newTotal: 1200 },
        { contractId: c1, month: '2024-05', delta: 1500, newTotal: 2500 },
        { contractId: c1, month: '2024-03', delta: 500, newTotal: 500 },
        { contractId: c2, month: '2024-06', delta: -1200, newTotal: 0 },
      ]);
    });
    expect((await checkRollups(t.db)).drifts).toEqual([]);
    const p = (await t.http.get('/api/v1/progress').expect(200)).body;
    expect([p.realisedHours, p.beneficiaries]).toEqual([60, 2]);
  });

  it('finds a drift, reports it in French with exit code 1, and is clean again after a rebuild', async () => {
    expect(await check.run(t.ctx, [])).toBe(0);
    expect(out.join('\n')).toMatch(/^Agrégats conformes au recalcul : \d+ lignes d’heures/);
    // A cité moved by hand, past the entry point: the EPCI rollups still count the old one.
    const cite = await t.db('cites').where({ code: 'darcy-henin' }).first();
    const cad = await t.db('epcis').where({ code: 'cad' }).first();
    await t.db('cites').where({ id: cite.id }).update({ epci_id: cad.id });
    out = [];
    expect(await check.run(t.ctx, [])).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(/^Écart entre les agrégats et leur recalcul : \d+ ligne\(s\)/);
    expect(text).toMatch(/report_hours — programme \d+, epci « \d+ », 2024-04 : tenu 3\s000, recalculé 0/);
    expect(text).toContain('reports:rebuild --apply');
    await rebuildRollups(t.db);
    expect(await check.run(t.ctx, [])).toBe(0);
  });

  it('moves a cité to another EPCI through the entry point: no drift', async () => {
    const cite = await t.db('cites').where({ code: 'darcy-henin' }).first();
    const cad = await t.db('epcis').where({ code: 'cad' }).first();
    await t.db.transaction((trx) => updateCiteGrouping(trx, cite.id, { epci_id: cad.id }));
    expect((await checkRollups(t.db)).drifts).toEqual([]);
    const rows = (await t.http.get('/api/v1/reports/hours?groupBy=structure').set('Authorization', t.admin)).body.rows;
    expect(rows.map((r: { structure: string; hours: number }) => [r.structure, r.hours])).toEqual([
      ['plie-douaisis', 30],
      ['plie-lens-henin', 20],
    ]);
  });

  it('keeps the structure rollups exact when reference data links a structure to another EPCI', async () => {
    const douaisis = await t.db('structures').where({ code: 'plie-douaisis' }).first();
    const call = await t.db('epcis').where({ code: 'call' }).first();
    await t.db.transaction((trx) => linkStructureEpcis(trx, [{ structure_id: douaisis.id, epci_id: call.id }]));
    expect((await checkRollups(t.db)).drifts).toEqual([]);
    const rows = (await t.http.get('/api/v1/reports/hours?groupBy=structure').set('Authorization', t.admin)).body.rows;
    expect(rows.map((r: { structure: string; hours: number }) => [r.structure, r.hours])).toEqual([
      ['plie-douaisis', 20],
      ['plie-lens-henin', 50],
    ]);
    // Seeding again (every start) changes nothing.
    await seedReference(t.db);
    expect((await checkRollups(t.db)).drifts).toEqual([]);
  });
});
