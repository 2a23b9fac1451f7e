import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkRollups } from '../../src/reports/rollups/index.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { engines } from '../helpers/db.js';
import { csv, HOURS_HEADER, hoursLine, MARCHES_HEADER, marcheLine, postCsv } from '../helpers/imports.js';

// An import writes the ledger in chunks (1 000 rows over HTTP) and the report rollups once,
// summed over every chunk, before it commits. The rollups must come out exactly as a rebuild
// computes them, for a first import and for a second one that changes and empties months.

describe.each(engines)('the rollups of an import in many chunks [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine);
  });
  afterEach(async () => {
    await t.destroy();
  });

  const file = (hoursOf: (c: number, m: number) => string) => {
    const lines: string[] = [];
    for (let c = 0; c < 120; c++)
      for (let m = 0; m < 24; m++)
        lines.push(
          hoursLine({
            contract: `C-${c}`,
            participant: `P-${Math.floor(c * 0.8)}`, // some persons hold two contracts
            sex: Math.floor(c * 0.8) % 2 ? 'F' : 'M',
            categories: c % 3 ? '' : 'RSA',
            rsa: c % 3 ? '' : '62',
            start: '01/01/2024',
            end: '31/12/2025',
            month: `${String((m % 12) + 1).padStart(2, '0')}/${2024 + Math.floor(m / 12)}`,
            hours: hoursOf(c, m),
          }),
        );
    return csv(HOURS_HEADER, lines);
  };

  it('are exact after an import of 2 880 rows, and after a second that changes and empties months', async () => {
    await postCsv(t, 'marches', csv(MARCHES_HEADER, [marcheLine({ end: '31/12/2026' })]), { apply: true }).expect(200);
    const first = await postCsv(
      t,
      'hours',
      file((c, m) => ((c + m) % 5 ? '35' : '0')),
      { apply: true },
    ).expect(200);
    expect(first.body.created).toBe(2_304); // rows of 0 h write nothing
    expect((await checkRollups(t.db)).drifts).toEqual([]);

    const second = await postCsv(
      t,
      'hours',
      file((c, m) => ((c * m) % 7 ? '35' : (c + m) % 2 ? '0' : '12,5')),
      { apply: true },
    ).expect(200);
    expect(second.body.updated).toBeGreaterThan(0);
    expect((await checkRollups(t.db)).drifts).toEqual([]);
    const counts = await t.db('report_counts').count({ n: '*' });
    expect(Number(counts[0].n)).toBeGreaterThan(0);
  });
});
