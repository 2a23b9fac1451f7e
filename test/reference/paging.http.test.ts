import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { seedContract } from '../helpers/fixtures.js';

// Every list of reference data and people is paged by key: walking all pages finds every row
// exactly once, in a stable order, whatever the page size; `limit` and `cursor` are checked.

const VALID_SIRETS = [
  '78012346900006',
  '78012346900014',
  '78012346900022',
  '78012346900030',
  '78012346900048',
  '78012346900055',
  '78012346900063',
];

describe.each(engines)('paged lists [%s]', (engine) => {
  let t: TestApp;
  let fac: string;
  let con: string;

  /** Every item of a list, page after page, and the number of pages read. */
  async function walk(path: string, limit: number, auth = t.admin) {
    const items: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const url: string = `/api/v1${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const r: { body: { items: Array<Record<string, unknown>>; nextCursor: string | null } } = await t.http
        .get(url)
        .set('Authorization', auth)
        .expect(200);
      expect(r.body.items.length).toBeLessThanOrEqual(limit);
      expect(Object.keys(r.body).sort()).toEqual(['items', 'nextCursor']);
      items.push(...r.body.items);
      cursor = r.body.nextCursor;
      pages++;
      if (pages > 100) throw new Error('no end');
    } while (cursor);
    return { items, pages };
  }

  beforeAll(async () => {
    t = await makeTestApp(engine);
    // 7 marchés on two cités (5 in Lens, 2 in Douai), 14 participants, 14 contracts (half ended).
    for (let i = 0; i < 7; i++) {
      const lens = i < 5;
      for (const k of [0, 1])
        await seedContract(t, {
          marche: `M-${i}`,
          cite: lens ? 'cite-4-lens' : 'mouchonniere-douai',
          structure: lens ? 'plie-lens-henin' : 'plie-douaisis',
          siret: VALID_SIRETS[i],
          participant: `P-${i}-${k}`,
          contract: `C-${i}-${k}`,
          start: k ? '2026-01-01' : '2024-02-01',
          end: k ? '2027-06-30' : '2024-12-31',
        });
    }
    await t.db('participants').where({ ref: 'P-3-1' }).update({ first_name: 'Yasmine', last_name: 'Quennehen' });
    fac = await t.tokenFor('facilitator', { structure: 'plie-lens-henin' });
    con = await t.tokenFor('contractor', { siren: VALID_SIRETS[3].slice(0, 9) });
  }, 120_000);
  afterAll(async () => t?.destroy());

  const lists: Array<[string, string, number]> = [
    ['/cites', 'code', 20],
    ['/contractors', 'siret', 7],
    ['/marches', 'ref', 7],
    ['/participants', 'ref', 14],
    ['/contracts', 'ref', 14],
  ];

  it.each(lists)('walks %s page by page: every row once, in key order', async (path, key, count) => {
    const all = (await t.http.get(`/api/v1${path}?limit=1000`).set('Authorization', t.admin).expect(200)).body;
    expect(all.items).toHaveLength(count);
    expect(all.nextCursor).toBeNull();
    for (const limit of [1, 3, count - 1, count]) {
      const { items, pages } = await walk(path, limit);
      expect(items).toEqual(all.items);
      // The row after a page tells whether another exists: never an empty last page.
      expect(pages).toBe(Math.ceil(count / limit));
    }
    const keys = all.items.map((i: Record<string, string>) => i[key]);
    expect(new Set(keys).size).toBe(count);
  });

  it('answers 100 rows by default and refuses a bad limit or cursor in French', async () => {
    const r = await t.http.get('/api/v1/cites').set('Authorization', t.admin).expect(200);
    expect(r.body.items).toHaveLength(20);
    for (const [path, query] of [
      ['/contracts', 'limit=0'],
      ['/participants', 'limit=1001'],
      ['/marches', 'limit=abc'],
      ['/cites', 'limit=2.5'],
      ['/contractors', 'limit=-3'],
    ]) {
      const bad = await t.http.get(`/api/v1${path}?${query}`).set('Authorization', t.admin).expect(400);
      expect(bad.body.error.code).toBe('validation_failed');
      expect(bad.body.error.details[0]).toMatchObject({
        path: 'limit',
        message: expect.stringMatching(/entre 1 et 1000/),
      });
    }
    for (const cursor of ['@@@', 'bm9wZQ', 'WzEsMiwzLDQsNV0']) {
      const bad = await t.http.get(`/api/v1/marches?cursor=${cursor}`).set('Authorization', t.admin).expect(400);
      expect(bad.body.error.details[0].message).toMatch(/Curseur de pagination invalide/);
    }
  });

  it('keeps its place when rows are added between two pages', async () => {
    const first = (await t.http.get('/api/v1/marches?limit=3').set('Authorization', t.admin).expect(200)).body;
    expect(first.items.map((m: { ref: string }) => m.ref)).toEqual(['M-0', 'M-1', 'M-2']);
    // One marché before the cursor, one after: the first is not seen, the second is, nothing twice.
    for (const ref of ['M-00', 'M-9'])
      await t.http
        .post('/api/v1/marches')
        .set('Authorization', t.admin)
        .send({
          ref,
          citeCode: 'cite-4-lens',
          title: 'Lot ajouté',
          contractorSiret: VALID_SIRETS[0],
          amountEur: '1',
          requiredHours: '1',
          startDate: '2024-01-01',
          endDate: '2024-12-31',
        })
        .expect(201);
    const rest = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const r = await t.http.get(`/api/v1/marches?limit=3&cursor=${cursor}`).set('Authorization', t.admin).expect(200);
      rest.push(...r.body.items.map((m: { ref: string }) => m.ref));
      cursor = r.body.nextCursor;
    }
    expect(rest).toEqual(['M-3', 'M-4', 'M-5', 'M-6', 'M-9']);
    await t.db('marches').whereIn('ref', ['M-00', 'M-9']).del(); // the other tests count the first seven
  });

  it('filters: search by ref or name, cité, marché, status, within the caller scope', async () => {
    const refs = async (path: string, auth = t.admin) =>
      (await walk(path, 4, auth)).items.map((i) => (i.ref ?? i.code ?? i.siret) as string);
    expect(await refs('/marches?cite=mouchonniere-douai')).toEqual(['M-5', 'M-6']);
    expect(await refs('/marches?q=m-6')).toEqual(['M-6']);
    expect(await refs(`/marches?contractor=${VALID_SIRETS[2]}`)).toEqual(['M-2']);
    expect(await refs('/contracts?marche=M-1')).toEqual(['C-1-0', 'C-1-1']);
    expect(await refs('/contracts?cite=mouchonniere-douai&status=ended')).toEqual(['C-5-0', 'C-6-0']);
    expect(await refs('/contracts?status=active&q=c-2')).toEqual(['C-2-1']);
    expect(await refs('/contracts?q=quenne')).toEqual(['C-3-1']);
    expect(await refs('/participants?q=YASMINE')).toEqual(['P-3-1']);
    expect(await refs('/participants?q=p-4')).toEqual(['P-4-0', 'P-4-1']);
    expect(await refs('/cites?q=douai')).toContain('mouchonniere-douai');
    expect(await refs(`/contractors?q=${VALID_SIRETS[4]}`)).toEqual([VALID_SIRETS[4]]);
    expect(await refs('/contractors?q=7801234690003')).toEqual([VALID_SIRETS[3]]);
    expect(await refs('/contractors?q=btp du')).toHaveLength(7);
    // A facilitator walks its scope only; a contractor cannot find a person by name.
    expect(await refs('/marches', fac)).toEqual(['M-0', 'M-1', 'M-2', 'M-3', 'M-4']);
    expect(await refs('/contracts?status=ended', fac)).toEqual(['C-0-0', 'C-1-0', 'C-2-0', 'C-3-0', 'C-4-0']);
    expect(await refs('/participants?q=p-3', con)).toEqual(['P-3-0', 'P-3-1']);
    expect(await refs('/participants?q=quenne', con)).toEqual([]);
    expect(await refs('/contracts?q=quenne', con)).toEqual([]);
    const bad = await t.http.get('/api/v1/contracts?status=fini').set('Authorization', t.admin).expect(400);
    expect(bad.body.error.details[0].message).toMatch(/Statut inconnu/);
  });
});
