import { SIRET_A, SIRET_ETTI } from '../helpers/fixtures.js';
import type { Rng } from './hostile.js';

// A small ledger made over HTTP on a running server, and clients posting hours to it.
export const MONTHS = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`);

async function call(base: string, token: string, method: string, path: string, body?: unknown, key?: string) {
  const r = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json().catch(() => null)) as unknown };
}

/** One marché and `n` contracts over 2024 (one participant each). Returns the contract refs. */
export async function seedLedger(base: string, token: string, n: number, prefix = 'T'): Promise<string[]> {
  const ok = (r: { status: number; body: unknown }, what: string) => {
    if (r.status !== 201) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  };
  ok(
    await call(base, token, 'POST', '/marches', {
      ref: `M-${prefix}`,
      citeCode: 'cite-4-lens',
      title: 'Réhabilitation',
      contractorSiret: SIRET_A,
      contractorName: 'BTP du Nord',
      amountEur: '1000000',
      requiredHours: '5000',
      startDate: '2024-01-01',
      endDate: '2025-12-31',
    }),
    'marché',
  );
  const refs: string[] = [];
  for (let i = 1; i <= n; i++) {
    ok(
      await call(base, token, 'POST', '/participants', {
        ref: `P-${prefix}-${i}`,
        birthDate: '1990-01-01',
        sex: i % 2 ? 'F' : 'M',
        structure: 'plie-lens-henin',
      }),
      'participant',
    );
    ok(
      await call(base, token, 'POST', '/contracts', {
        ref: `C-${prefix}-${i}`,
        participantRef: `P-${prefix}-${i}`,
        marcheRef: `M-${prefix}`,
        employerSiret: SIRET_ETTI,
        contractType: 'CDD',
        mode: 'ETTI',
        startDate: '2024-01-01',
        endDate: '2024-12-31',
        categories: i % 3 ? [] : ['RSA'],
        rsaDepartement: i % 3 ? null : '62',
      }),
      'contrat',
    );
    refs.push(`C-${prefix}-${i}`);
  }
  return refs;
}

export interface Ack {
  key: string;
  contract: string;
  month: string;
  centihours: number;
}

/**
 * `clients` loops posting small amounts of hours until `stop()`; every 201/200 answer is an
 * acknowledged write. Connection errors (a killed server) end a client's current request only.
 */
export function postHoursLoop(
  base: () => string,
  token: string,
  contracts: string[],
  r: Rng,
  clients: number,
  tag: string,
) {
  const acks: Ack[] = [];
  let running = true;
  let seq = 0;
  let refused = 0;
  const client = async (c: number) => {
    while (running) {
      const contract = r.pick(contracts);
      const month = r.pick(MONTHS);
      const centihours = 100 + r.int(400);
      const key = `${tag}-${c}-${++seq}`;
      try {
        const res = await call(
          base(),
          token,
          'POST',
          `/contracts/${contract}/hours`,
          { month, hours: centihours / 100 },
          key,
        );
        if (res.status === 201 || res.status === 200) acks.push({ key, contract, month, centihours });
        else refused++;
      } catch {
        await new Promise((ok) => setTimeout(ok, 20));
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  return {
    acks,
    refusedCount: () => refused,
    async stop() {
      running = false;
      await done;
    },
  };
}
