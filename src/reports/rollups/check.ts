import type { Knex } from 'knex';
import { rebuildRollups } from './rebuild.store.js';
import * as store from './rollups.store.js';

// Compares the rollups as kept with what a rebuild from contract_months gives, without
// changing them: the rebuild runs in a transaction that is rolled back.

export interface RollupDrift {
  table: 'report_hours' | 'report_counts';
  row: string; // the row's key, readable
  kept: number;
  rebuilt: number;
}

export interface RollupCheck {
  hoursRows: number;
  countRows: number;
  drifts: RollupDrift[];
}

class RollBack extends Error {}

const hoursKey = (r: store.HoursRollupRow) => `programme ${r.programme_id}, ${r.dim} « ${r.key} », ${r.month}`;
const countsKey = (r: store.CountsRollupRow) =>
  `programme ${r.programme_id}, ${r.dim} « ${r.key} », ${r.entity === 'p' ? 'personnes' : 'contrats'}, ${r.month} (précédent « ${r.prev} »)`;

function compare(
  table: RollupDrift['table'],
  kept: Map<string, number>,
  rebuilt: Map<string, number>,
  out: RollupDrift[],
) {
  for (const [k, v] of kept)
    if (rebuilt.get(k) !== v) out.push({ table, row: k, kept: v, rebuilt: rebuilt.get(k) ?? 0 });
  for (const [k, v] of rebuilt) if (!kept.has(k)) out.push({ table, row: k, kept: 0, rebuilt: v });
}

export async function checkRollups(db: Knex): Promise<RollupCheck> {
  const read = async (trx: Knex) => {
    const { hours, counts } = await store.nonZeroRollups(trx);
    return {
      hours: new Map(hours.map((r) => [hoursKey(r), Number(r.centihours)])),
      counts: new Map(counts.map((r) => [countsKey(r), Number(r.n)])),
    };
  };
  let result: RollupCheck | undefined;
  try {
    await db.transaction(async (trx) => {
      const kept = await read(trx);
      await rebuildRollups(trx);
      const rebuilt = await read(trx);
      const drifts: RollupDrift[] = [];
      compare('report_hours', kept.hours, rebuilt.hours, drifts);
      compare('report_counts', kept.counts, rebuilt.counts, drifts);
      result = { hoursRows: kept.hours.size, countRows: kept.counts.size, drifts };
      throw new RollBack();
    });
  } catch (e) {
    if (!(e instanceof RollBack)) throw e;
  }
  return result!;
}
