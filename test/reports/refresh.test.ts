import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, seedContract } from '../helpers/fixtures.js';
import { rebuildRollups, withRollupsRefreshed } from '../../src/reports/rollups/index.js';

// A marché moved to another cité (or a cité to another EPCI) after hours were posted: the
// rollups follow when the change runs inside withRollupsRefreshed.

const snapshot = async (t: TestApp) => ({
  hours: (await t.db('report_hours').where('centihours', '!=', 0).orderBy(['programme_id', 'dim', 'key', 'month'])).map(
    (r: any) => ({ ...r, centihours: Number(r.centihours) }),
  ),
  counts: await t
    .db('report_counts')
    .where('n', '!=', 0)
    .orderBy(['programme_id', 'dim', 'entity', 'key', 'month', 'prev']),
});

describe.each(engines)('rollups after a change of the facts they group by [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    await seedContract(t, { contract: 'C-1', categories: ['RSA'], rsaDepartement: '62' });
    await seedContract(t, { contract: 'C-2', marche: 'M-2', cite: 'darcy-henin' });
    await seedContract(t, { contract: 'C-3', participant: 'P-2', marche: 'M-2' });
    for (const [c, m] of [
      ['C-1', '2024-03'],
      ['C-2', '2024-03'],
      ['C-2', '2024-04'],
      ['C-3', '2024-05'],
    ])
      await postHours(t, c, m, '20').expect(201);
  });
  afterEach(async () => {
    await t.destroy();
  });

  it('moves a marché to a cité of the other Département', async () => {
    const m2 = await t.db('marches').where({ ref: 'M-2' }).first();
    const douai = await t.db('cites').where({ code: 'mouchonniere-douai' }).first();
    await t.db.transaction((trx) =>
      withRollupsRefreshed(trx, [m2.id], () => trx('marches').where({ id: m2.id }).update({ cite_id: douai.id })),
    );
    const p = (await t.http.get('/api/v1/progress').expect(200)).body;
    expect(p.byDepartement.map((d: any) => [d.code, d.hours, d.beneficiaries])).toEqual([
      ['59', 60, 2],
      ['62', 20, 1],
    ]);
    expect(p.byCite.find((c: any) => c.code === 'darcy-henin').hours).toBe(0);
    const incremental = await snapshot(t);
    await rebuildRollups(t.db);
    expect(await snapshot(t)).toEqual(incremental);
  });

  it('moves a cité to another EPCI', async () => {
    const cite = await t.db('cites').where({ code: 'darcy-henin' }).first();
    const cad = await t.db('epcis').where({ code: 'cad' }).first();
    const marches = (await t.db('marches').where({ cite_id: cite.id }).select('id')).map((r: any) => r.id);
    await t.db.transaction((trx) =>
      withRollupsRefreshed(trx, marches, () => trx('cites').where({ id: cite.id }).update({ epci_id: cad.id })),
    );
    const rows = (await t.http.get('/api/v1/reports/hours?groupBy=epci').set('Authorization', t.admin).expect(200)).body
      .rows;
    expect(rows.map((r: any) => [r.epci, r.hours, r.beneficiaries])).toEqual([
      ['cad', 60, 2],
      ['call', 20, 1],
    ]);
    const incremental = await snapshot(t);
    await rebuildRollups(t.db);
    expect(await snapshot(t)).toEqual(incremental);
  });
});
