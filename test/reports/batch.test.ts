import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { seedContract } from '../helpers/fixtures.js';
import { applyMonthChanges, type MonthChange } from '../../src/hours/rollups.js';
import { rebuildRollups } from '../../src/reports/rollups/index.js';

// The bulk path (imports): entries inserted in a transaction, then one applyMonthChanges
// call with many changes. The rollups kept that way must equal a set-based rebuild.

const MONTHS = ['2024-02', '2024-03', '2024-04', '2024-05'];
const snapshot = async (t: TestApp) => ({
  hours: (await t.db('report_hours').where('centihours', '!=', 0).orderBy(['programme_id', 'dim', 'key', 'month'])).map(
    (r: any) => ({ ...r, centihours: Number(r.centihours) }),
  ),
  counts: await t
    .db('report_counts')
    .where('n', '!=', 0)
    .orderBy(['programme_id', 'dim', 'entity', 'key', 'month', 'prev']),
});

describe.each(engines)('rollups kept by batches of month changes [%s]', (engine) => {
  let t: TestApp;
  let contractIds: number[] = [];
  beforeAll(async () => {
    t = await makeTestApp(engine);
    await seedContract(t, { contract: 'C-1', categories: ['RSA'], rsaDepartement: '62' });
    await seedContract(t, { contract: 'C-2', marche: 'M-2', cite: 'darcy-henin' });
    await seedContract(t, { contract: 'C-3', participant: 'P-2', birthDate: '1999-01-01', categories: ['QPV'] });
    await seedContract(t, { contract: 'C-4', participant: 'P-2', marche: 'M-3', cite: 'mouchonniere-douai' });
    await seedContract(t, {
      contract: 'C-5',
      participant: 'P-3',
      birthDate: '1970-01-01',
      categories: ['RSA', 'DELD'],
      rsaDepartement: '59',
    });
    contractIds = (await t.db('contracts').orderBy('id').select('id')).map((r: any) => r.id);
  });
  afterAll(async () => {
    await t.destroy();
  });

  it('equals the set-based rebuild after any sequence of batches', async () => {
    const change = fc.record({
      contract: fc.nat({ max: 4 }),
      month: fc.nat({ max: 3 }),
      total: fc.constantFrom(0, 0, 1000, 15167, 23500),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(change, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }),
        async (batches) => {
          for (const batch of batches) {
            await t.db.transaction(async (trx) => {
              const last = new Map(batch.map((c) => [`${c.contract}|${c.month}`, c]));
              const changes: MonthChange[] = [];
              for (const c of last.values()) {
                const contractId = contractIds[c.contract];
                const month = MONTHS[c.month];
                const row = await trx('contract_months').where({ contract_id: contractId, month }).first();
                const delta = c.total - Number(row?.centihours ?? 0);
                await trx('hour_entries').insert({
                  contract_id: contractId,
                  month,
                  centihours: delta,
                  kind: row ? 'correction' : 'entry',
                  created_at: '2026-11-24T10:00:00.000Z',
                });
                changes.push({ contractId, month, delta, newTotal: c.total });
              }
              await applyMonthChanges(trx, changes);
            });
          }
          const incremental = await snapshot(t);
          await rebuildRollups(t.db);
          expect(await snapshot(t)).toEqual(incremental);
        },
      ),
      { seed: 424242, numRuns: 15 },
    );
    const p = (await t.http.get('/api/v1/progress').expect(200)).body;
    const sum = await t.db('hour_entries').sum({ s: 'centihours' }).first();
    expect(Math.round(p.realisedHours * 100)).toBe(Number(sum?.s));
  }, 300_000);
});
