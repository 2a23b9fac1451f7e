import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { engines } from '../helpers/db.js';
import { csv, HOURS_HEADER, hoursLine, MARCHES_HEADER, marcheLine, postCsv } from '../helpers/imports.js';

// An hours import over HTTP is long work on the server's one thread, inside one transaction:
// other requests must still be answered while it runs (the file is read in slices, the
// ledger written in small chunks, with pauses between them, and on SQLite the health check
// reads through a connection the import does not hold).

describe.each(engines)('an HTTP import leaves room for other requests [%s]', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp(engine, { onDisk: true });
  });
  afterEach(async () => {
    await t.destroy();
  });

  it('answers /healthz while a file of 12 000 rows is imported', async () => {
    await postCsv(t, 'marches', csv(MARCHES_HEADER, [marcheLine({ end: '31/12/2026' })]), { apply: true }).expect(200);
    const lines: string[] = [];
    for (let c = 0; c < 500; c++)
      for (let m = 0; m < 24; m++)
        lines.push(
          hoursLine({
            contract: `C-${c}`,
            participant: `P-${c}`,
            start: '01/01/2024',
            end: '31/12/2025',
            month: `${String((m % 12) + 1).padStart(2, '0')}/${2024 + Math.floor(m / 12)}`,
            hours: '35',
          }),
        );
    let importing = true;
    const imported = postCsv(t, 'hours', csv(HOURS_HEADER, lines), { apply: true }).then((r) => {
      importing = false;
      return r;
    });
    // The server and this test share one thread: a health check answered while the import's
    // transaction holds a connection of the pool proves the writing paused for it.
    const pool = (t.db.client as { pool: { numUsed(): number } }).pool;
    let answeredWhileWriting = 0;
    while (importing) {
      const r = await t.http.get('/healthz');
      expect(r.status).toBe(200);
      if (importing && pool.numUsed() > 0) answeredWhileWriting++;
    }
    const r = await imported;
    expect(r.status).toBe(200);
    expect(r.body.created).toBe(12_000);
    expect(answeredWhileWriting).toBeGreaterThanOrEqual(3);
  });
});
