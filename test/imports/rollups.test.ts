import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import command from '../../src/imports/import.command.js';
import { checkRollups } from '../../src/reports/rollups/index.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { engines } from '../helpers/db.js';
import { csv, HOURS_HEADER, hoursLine, MARCHES_HEADER, marcheLine, postCsv } from '../helpers/imports.js';

// An import writes the ledger in chunks: from the command line, the report rollups are summed
// over every chunk and written once before it commits; over HTTP (chunks of 1 000 rows), each
// chunk writes its own. Either way they must come out exactly as a rebuild computes them, for
// a first import and for a second one that changes and empties months.

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

  it('are exact after a CLI import of 2 880 rows, then an HTTP one that changes and empties months', async () => {
    await postCsv(t, 'marches', csv(MARCHES_HEADER, [marcheLine({ end: '31/12/2026' })]), { apply: true }).expect(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-import-'));
    const hours = path.join(dir, 'heures.csv');
    fs.writeFileSync(
      hours,
      file((c, m) => ((c + m) % 5 ? '35' : '0')),
    );
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await command.run(t.ctx, ['hours', hours, '--apply'])).toBe(0);
    } finally {
      log.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(await t.db('hour_entries').count({ n: '*' })).toEqual([{ n: 2_304 }]); // rows of 0 h write nothing
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
