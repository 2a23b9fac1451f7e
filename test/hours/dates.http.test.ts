import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { postHours, rowCounts, seedContract } from '../helpers/fixtures.js';
import { csv, HOURS_HEADER, hoursLine, postCsv } from '../helpers/imports.js';
import { contractsOutsideMarche } from '../../src/hours/ledger.store.js';

// The month of an entry lies within its contract's dates and its marché's (docs/rules.md),
// through the API and through an import alike; messages give dd/MM/yyyy and MM/yyyy.

describe.each(engines)('month within the contract and the marché [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
    // Marché 01/01/2024 - 31/12/2025; contract 01/02/2024 - 31/12/2024.
    await seedContract(t);
    // An avenant shortens the marché to 30/06/2024 (the contract is left as it was).
    await t.db('marches').where({ ref: 'M-1' }).update({ end_date: '2024-06-30' });
  });
  afterEach(async () => t.destroy());

  it('refuses over the API a month after the marché ended, within the contract', async () => {
    const before = await rowCounts(t);
    const r = await postHours(t, 'C-1', '09/2024', '10').expect(422);
    expect(r.body.error).toEqual({
      code: 'month_outside_marche',
      message: 'Le mois 09/2024 est hors des dates du marché « M-1 » (du 01/01/2024 au 30/06/2024).',
      details: [],
    });
    expect(await rowCounts(t)).toEqual(before);
    const c = await postHours(t, 'C-1', '01/2024', '10').expect(422);
    expect(c.body.error).toMatchObject({
      code: 'month_outside_contract',
      message: 'Le mois 01/2024 est hors des dates du contrat « C-1 » (du 01/02/2024 au 31/12/2024).',
    });
    await postHours(t, 'C-1', '06/2024', '10').expect(201);
  });

  it('refuses in an import the rows after the marché ended, naming line and column', async () => {
    const file = csv(HOURS_HEADER, [
      hoursLine({ month: '06/2024', hours: '10' }),
      hoursLine({ month: '07/2024', hours: '12' }),
      hoursLine({ month: '08/2024', hours: '0' }), // nothing posted: nothing to refuse
    ]);
    const before = await rowCounts(t);
    const r = await postCsv(t, 'hours', file, { apply: true }).expect(422);
    expect(r.body.errors).toEqual([
      {
        line: 3,
        column: 'month',
        message: 'Le mois 07/2024 est hors des dates du marché « M-1 » (du 01/01/2024 au 30/06/2024).',
      },
    ]);
    expect(await rowCounts(t)).toEqual(before);
  });
});

describe.each(engines)('contracts a marché’s new dates would leave outside [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
  });
  afterEach(async () => t.destroy());

  it('names the contracts whose dates or hours fall outside, by ref', async () => {
    await seedContract(t, { contract: 'C-1', start: '2024-02-01', end: '2024-12-31' });
    await seedContract(t, { contract: 'C-2', participant: 'P-2', start: '2024-01-01', end: '2024-05-31' });
    await postHours(t, 'C-1', '10/2024', '10').expect(201);
    await postHours(t, 'C-1', '11/2024', '0').expect(201); // a month at 0 h is no hours
    const m = await t.db('marches').where({ ref: 'M-1' }).first();
    expect(await contractsOutsideMarche(t.db, m.id, { start_date: '2024-01-01', end_date: '2024-09-30' })).toEqual([
      { ref: 'C-1', start_date: '2024-02-01', end_date: '2024-12-31', months_with_hours: ['2024-10'] },
    ]);
    expect(await contractsOutsideMarche(t.db, m.id, { start_date: '2024-02-01', end_date: '2025-12-31' })).toEqual([
      { ref: 'C-2', start_date: '2024-01-01', end_date: '2024-05-31', months_with_hours: [] },
    ]);
  });
});
