import type { TestApp } from './app.js';

// Valid SIRETs (Luhn) for tests.
export const SIRET_A = '73282932000074';
export const SIRET_B = '54205118000066';
export const SIRET_ETTI = '44306184100047';

/** Creates a marché, a participant and a contract through the API; returns their refs. */
export async function seedContract(
  t: TestApp,
  o: {
    marche?: string;
    cite?: string;
    participant?: string;
    contract?: string;
    birthDate?: string;
    start?: string;
    end?: string;
    categories?: string[];
    rsaDepartement?: string | null;
    siret?: string;
    auth?: string;
    structure?: string;
    /** The marché's dates when it is created (default 2024-01-01 to 2025-12-31). */
    marcheStart?: string;
    marcheEnd?: string;
  } = {},
) {
  const auth = o.auth ?? t.admin;
  const marche = o.marche ?? 'M-1';
  const participant = o.participant ?? 'P-1';
  const contract = o.contract ?? 'C-1';
  const existing = await t.db('marches').where({ ref: marche }).first();
  if (!existing) {
    await t.http
      .post('/api/v1/marches')
      .set('Authorization', auth)
      .send({
        ref: marche,
        citeCode: o.cite ?? 'cite-4-lens',
        title: 'Réhabilitation de 120 logements',
        contractorSiret: o.siret ?? SIRET_A,
        contractorName: 'BTP du Nord',
        amountEur: '1200000',
        requiredHours: '5000',
        startDate: o.marcheStart ?? '2024-01-01',
        endDate: o.marcheEnd ?? '2025-12-31',
      })
      .expect(201);
  }
  if (!(await t.db('participants').where({ ref: participant }).first())) {
    await t.http
      .post('/api/v1/participants')
      .set('Authorization', auth)
      .send({
        ref: participant,
        firstName: 'Léa',
        lastName: 'Martin',
        birthDate: o.birthDate ?? '1990-05-10',
        sex: 'F',
        structure: o.structure ?? 'plie-lens-henin',
      })
      .expect(201);
  }
  const res = await t.http
    .post('/api/v1/contracts')
    .set('Authorization', auth)
    .send({
      ref: contract,
      participantRef: participant,
      marcheRef: marche,
      employerSiret: SIRET_ETTI,
      contractType: 'CDD',
      mode: 'ETTI',
      startDate: o.start ?? '2024-02-01',
      endDate: o.end ?? '2024-12-31',
      categories: o.categories ?? [],
      rsaDepartement: o.rsaDepartement ?? null,
    });
  if (res.status !== 201) throw new Error(`seedContract: ${res.status} ${JSON.stringify(res.body)}`);
  return { marche, participant, contract };
}

let keySeq = 0;
/** Posts hours with a fresh idempotency key. */
export function postHours(t: TestApp, contract: string, month: string, hours: string | number, auth?: string) {
  return t.http
    .post(`/api/v1/contracts/${contract}/hours`)
    .set('Authorization', auth ?? t.admin)
    .set('Idempotency-Key', `k-${++keySeq}`)
    .send({ month, hours });
}

/** A snapshot of every table's row count, to prove that a refused write changed nothing. */
export async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const tables = [
    'contractors',
    'marches',
    'participants',
    'contracts',
    'hour_entries',
    'contract_months',
    'closed_months',
  ];
  const out: Record<string, number> = {};
  for (const table of tables) {
    const r = await t.db(table).count({ n: '*' }).first();
    out[table] = Number(r?.n);
  }
  return out;
}
