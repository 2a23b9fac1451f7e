import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../helpers/db.js';
import { strength } from '../helpers/strength.js';
import { makeTestApp, type TestApp } from '../helpers/app.js';
import { SIRET_A, SIRET_B, SIRET_ETTI } from '../helpers/fixtures.js';
import { rebuildRollups } from '../../src/reports/rollups/index.js';
import { breakdown, loadFacts, total, type Fact, type Period } from './oracle.js';

// Random ledgers posted through the real API, in random order, with corrections (some back
// to zero); every report must equal a brute-force recomputation from the raw entries, and
// the set-based rebuild must give exactly the incrementally kept rollups.

const MARCHES = [
  { cite: 'cite-4-lens', siret: SIRET_A },
  { cite: 'darcy-henin', siret: SIRET_B },
  { cite: 'mouchonniere-douai', siret: SIRET_A },
];
// Birth dates around the 26th and the 50th birthday of contracts starting in 2024.
const BIRTHS = ['1998-03-15', '1998-07-01', '1974-05-20', '1985-01-01'];
const MONTHS = Array.from(
  { length: 14 },
  (_, i) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
);

const contractArb = fc.record({
  participant: fc.nat({ max: BIRTHS.length - 1 }),
  marche: fc.nat({ max: MARCHES.length - 1 }),
  type: fc.constantFrom('CDD', 'CDI', 'INTERIM', 'CDDI'),
  mode: fc.constantFrom('DIRECT', 'ETTI'),
  rsa: fc.constantFrom(null, '59', '62'),
  qpv: fc.boolean(),
  start: fc.nat({ max: 8 }),
  length: fc.integer({ min: 1, max: 6 }),
});
const opArb = fc.record({
  contract: fc.nat(),
  month: fc.nat(),
  hours: fc.integer({ min: 0, max: 8000 }),
  correct: fc.option(fc.record({ of: fc.nat(), to: fc.constantFrom(0, 0, 1, 2550, 10000) }), { freq: 3 }),
});
const ledgerArb = fc.record({
  contracts: fc.array(contractArb, { minLength: 1, maxLength: 6 }),
  ops: fc.array(opArb, { minLength: 1, maxLength: 18 }),
});

type Ledger = typeof ledgerArb extends fc.Arbitrary<infer T> ? T : never;

const PERIODS: Period[] = [
  {},
  { from: '2024-03' },
  { to: '2024-06' },
  { from: '2024-05', to: '2025-01' },
  { from: '2024-12', to: '2024-12' },
];
const GROUP_BYS = [
  ['cite'],
  ['epci'],
  ['structure'],
  ['departement'],
  ['bailleur'],
  ['contractor'],
  ['marche'],
  ['category'],
  ['contractType'],
  ['mode'],
  ['sex'],
  ['ageBand'],
  ['month'],
  ['year'],
  ['year', 'departement'],
  ['category', 'month'],
  ['cite', 'category'],
];
const centi = (h: number) => Math.round(h * 100);

describe.each(engines)('reports equal a brute-force recomputation [%s]', (engine) => {
  let t: TestApp;
  let run = 0;
  beforeAll(async () => {
    t = await makeTestApp(engine);
  });
  afterAll(async () => {
    await t.destroy();
  });

  async function post(ledger: Ledger) {
    const r = `r${++run}`;
    const api = (method: 'post' | 'get', url: string) => t.http[method](url).set('Authorization', t.admin);
    for (const [i, m] of MARCHES.entries())
      await api('post', '/api/v1/marches')
        .send({
          ref: `${r}-M${i}`,
          citeCode: m.cite,
          title: 'Lot',
          contractorSiret: m.siret,
          contractorName: 'Entreprise',
          amountEur: '1000',
          requiredHours: '500',
          startDate: '2024-01-01',
          endDate: '2025-12-31',
        })
        .expect(201);
    for (const [i, b] of BIRTHS.entries())
      await api('post', '/api/v1/participants')
        .send({ ref: `${r}-P${i}`, birthDate: b, sex: i % 2 ? 'M' : 'F', structure: 'plie-lens-henin' })
        .expect(201);
    const contracts = ledger.contracts.map((c, i) => ({
      ...c,
      ref: `${r}-C${i}`,
      months: MONTHS.slice(c.start, c.start + c.length),
    }));
    for (const c of contracts) {
      const last = c.months[c.months.length - 1];
      await api('post', '/api/v1/contracts')
        .send({
          ref: c.ref,
          participantRef: `${r}-P${c.participant}`,
          marcheRef: `${r}-M${c.marche}`,
          employerSiret: SIRET_ETTI,
          contractType: c.type,
          mode: c.mode,
          startDate: `${c.months[0]}-01`,
          endDate: `${last}-28`,
          categories: [...(c.rsa ? ['RSA'] : []), ...(c.qpv ? ['QPV'] : [])],
          rsaDepartement: c.rsa,
        })
        .expect(201);
    }
    const entries: number[] = [];
    for (const [i, op] of ledger.ops.entries()) {
      const c = contracts[op.contract % contracts.length];
      const res =
        op.correct && entries.length
          ? await api('post', `/api/v1/hour-entries/${entries[op.correct.of % entries.length]}/corrections`)
              .set('Idempotency-Key', `${r}-k${i}`)
              .send({ hours: op.correct.to / 100, reason: 'Correction de relevé' })
          : await api('post', `/api/v1/contracts/${c.ref}/hours`)
              .set('Idempotency-Key', `${r}-k${i}`)
              .send({ month: c.months[op.month % c.months.length], hours: op.hours / 100 });
      // Refusals (over 235 h, negative totals, no change) are part of the game: nothing posted.
      if (res.status === 201 && res.body.entry.kind === 'entry') entries.push(res.body.entry.id);
      else if (res.status !== 201) expect([422]).toContain(res.status);
    }
  }

  async function check(facts: Fact[]) {
    for (const period of PERIODS) {
      const qs = new URLSearchParams(period as Record<string, string>).toString();
      const p = (await t.http.get(`/api/v1/progress?${qs}`).expect(200)).body;
      const all = total(facts, period);
      expect(centi(p.realisedHours)).toBe(all.hours);
      expect([p.beneficiaries, p.contracts]).toEqual([all.people.size, all.contracts.size]);
      for (const [name, cat] of [
        ['rsa', 'RSA'],
        ['jeune', 'JEUNE'],
      ]) {
        const a = total(facts, period, (f) => f.categories.includes(cat));
        expect([centi(p[name].hours), p[name].beneficiaries], `${name} ${qs}`).toEqual([a.hours, a.people.size]);
      }
      for (const d of p.byDepartement) {
        const a = total(facts, period, (f) => f.departement === d.code);
        const rsa = total(facts, period, (f) => f.departement === d.code && f.categories.includes('RSA'));
        expect([centi(d.hours), d.beneficiaries, d.rsaBeneficiaries]).toEqual([
          a.hours,
          a.people.size,
          rsa.people.size,
        ]);
      }
      for (const c of p.byCite) {
        const a = total(facts, period, (f) => f.cite === c.code);
        expect([centi(c.hours), c.beneficiaries]).toEqual([a.hours, a.people.size]);
      }
      for (const groupBy of GROUP_BYS) {
        const b = (
          await t.http
            .get(`/api/v1/reports/hours?groupBy=${groupBy.join(',')}&${qs}`)
            .set('Authorization', t.admin)
            .expect(200)
        ).body;
        const got = b.rows
          .map((row: any) => ({
            key: JSON.stringify(groupBy.map((g) => row[g])),
            hours: centi(row.hours),
            beneficiaries: row.beneficiaries,
            contracts: row.contracts,
          }))
          .sort((x: any, y: any) => x.key.localeCompare(y.key));
        expect(got, `${groupBy} ${qs}`).toEqual(breakdown(facts, groupBy, period));
        expect([centi(b.totals.hours), b.totals.beneficiaries, b.totals.contracts]).toEqual([
          all.hours,
          all.people.size,
          all.contracts.size,
        ]);
      }
      for (const d of ['59', '62']) {
        const rsa = (
          await t.http.get(`/api/v1/reports/rsa?departement=${d}&${qs}`).set('Authorization', t.admin).expect(200)
        ).body;
        const paid = (f: Fact) => f.rsaDepartement === d && f.categories.includes('RSA');
        const a = total(facts, period, paid);
        expect([centi(rsa.hours), rsa.beneficiaries, rsa.contracts]).toEqual([
          a.hours,
          a.people.size,
          a.contracts.size,
        ]);
        for (const m of rsa.byMonth) {
          const inMonth = total(facts, { from: m.month, to: m.month }, paid);
          const firsts = new Map<number, string>();
          for (const f of facts)
            if (paid(f) && f.total > 0 && (firsts.get(f.participantId) ?? '9999') > f.month)
              firsts.set(f.participantId, f.month);
          expect([centi(m.hours), m.beneficiaries, m.newBeneficiaries]).toEqual([
            inMonth.hours,
            inMonth.people.size,
            [...firsts.values()].filter((x) => x === m.month).length,
          ]);
        }
      }
    }
  }

  it('progress, breakdowns and the RSA report, for random ledgers in any order, with corrections', async () => {
    await fc.assert(
      fc.asyncProperty(ledgerArb, async (ledger) => {
        await post(ledger);
        await check(await loadFacts(t.db));
      }),
      // 10 runs on a local SQLite-only run (test/helpers/strength.ts), 20 in CI.
      { seed: 20261124, numRuns: engine === 'sqlite' ? strength(20, 10) : 12, endOnFailure: true },
    );
    // The game did post entries, corrections and corrections back to zero.
    const kinds = await t.db('hour_entries').select('kind').count({ n: '*' }).groupBy('kind').orderBy('kind');
    expect(kinds.map((k: any) => [k.kind, Number(k.n) > 20])).toEqual([
      ['correction', true],
      ['entry', true],
    ]);
    expect(Number((await t.db('contract_months').where('centihours', 0).count({ n: '*' }).first())?.n)).toBeGreaterThan(
      0,
    );
    // The set-based rebuild gives the very rows the incremental upkeep gave.
    const snapshot = async () => ({
      hours: (
        await t.db('report_hours').where('centihours', '!=', 0).orderBy(['programme_id', 'dim', 'key', 'month'])
      ).map((r: any) => ({ ...r, centihours: Number(r.centihours) })),
      counts: await t
        .db('report_counts')
        .where('n', '!=', 0)
        .orderBy(['programme_id', 'dim', 'entity', 'key', 'month', 'prev']),
    });
    const incremental = await snapshot();
    await rebuildRollups(t.db);
    expect(await snapshot()).toEqual(incremental);
  }, 600_000);
});
