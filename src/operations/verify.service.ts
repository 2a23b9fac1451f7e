import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';
import { formatHoursFr } from '../lib/hours.js';
import { formatMonthFr } from '../lib/html.js';
import { rebuildRollups } from '../reports/rollups/index.js';
import {
  contractRefs,
  diffRollups,
  entryCount,
  monthSumsFromEntries,
  shadowRollupTables,
  storedMonthTotals,
} from './verify.store.js';
import { checkChain } from './chain.service.js';

// `ledger verify`: recomputes from the entries (the only facts) what every write keeps up to
// date beside them, in one consistent snapshot, and says in French where they differ:
// - each contract-month total (`contract_months`) against the sum of its entries;
// - each total within 0 to 235 h (the ledger's rule);
// - the report rollups against a rebuild (the same function as `reports:rebuild`), computed
//   into temporary tables: the live tables are neither written nor locked;
// - the hash chain of the sealed entries (`ledger seal`), link by link.

export const MAX_MONTH_CENTIHOURS = 23_500;

export interface VerifyReport {
  entries: number;
  contractMonths: number;
  problems: string[];
  chain: { length: number; head: string; unsealed: number };
}

const ROLLBACK = new Error('rollback');
const hours = (c: number) => formatHoursFr(c).replace('\u00a0', ' ');

export async function verifyLedger(db: Knex, limit = 20): Promise<VerifyReport> {
  let report: VerifyReport | undefined;
  try {
    await db.transaction(
      async (trx) => {
        report = await verifyIn(trx, limit);
        throw ROLLBACK; // the temporary rollups go away with the transaction
      },
      isPostgres(db) ? { isolationLevel: 'repeatable read' } : undefined,
    );
  } catch (e) {
    if (e !== ROLLBACK) throw e;
  }
  return report!;
}

async function verifyIn(trx: Knex.Transaction, limit: number): Promise<VerifyReport> {
  const problems: string[] = [];
  const entries = await entryCount(trx);
  const sums = await monthSumsFromEntries(trx);
  const stored = await storedMonthTotals(trx);
  const key = (r: { contract_id: number; month: string }) => `${r.contract_id}|${r.month}`;
  const storedBy = new Map(stored.map((r) => [key(r), r.centihours]));
  const sumBy = new Map(sums.map((r) => [key(r), r.centihours]));

  const drifts: Array<{ contract: number; month: string; text: (ref: string) => string }> = [];
  for (const s of sums) {
    const kept = storedBy.get(key(s));
    if (kept !== s.centihours)
      drifts.push({
        contract: s.contract_id,
        month: s.month,
        text: (ref) =>
          `Contrat ${ref}, ${formatMonthFr(s.month)} : les lignes du registre totalisent ${hours(s.centihours)}, le ` +
          `total mensuel enregistré est ${kept === undefined ? 'absent' : hours(kept)}.`,
      });
    if (s.centihours < 0 || s.centihours > MAX_MONTH_CENTIHOURS)
      drifts.push({
        contract: s.contract_id,
        month: s.month,
        text: (ref) =>
          `Contrat ${ref}, ${formatMonthFr(s.month)} : ${hours(s.centihours)}, hors de la plage permise (0 à 235 h).`,
      });
  }
  for (const r of stored)
    if (!sumBy.has(key(r)) && r.centihours !== 0)
      drifts.push({
        contract: r.contract_id,
        month: r.month,
        text: (ref) =>
          `Contrat ${ref}, ${formatMonthFr(r.month)} : total mensuel enregistré ${hours(r.centihours)} sans aucune ` +
          `ligne au registre.`,
      });
  const refs = await contractRefs(trx, [...new Set(drifts.slice(0, limit).map((d) => d.contract))]);
  for (const d of drifts.slice(0, limit)) problems.push(d.text(refs.get(d.contract) ?? `n° ${d.contract}`));
  if (drifts.length > limit) problems.push(`… et ${drifts.length - limit} autres écarts sur les totaux mensuels.`);

  const real = await shadowRollupTables(trx);
  await rebuildRollups(trx);
  for (const d of await diffRollups(trx, real, 5)) {
    if (!d.count) continue;
    const name = d.table === 'report_hours' ? 'heures' : 'comptages';
    problems.push(`Agrégats des rapports (${name}) : ${d.count} ligne(s) diffèrent d’un recalcul depuis le registre.`);
    for (const r of d.onlyStored) problems.push(`  enregistré, absent du recalcul : ${describeRollup(r)}`);
    for (const r of d.onlyRebuilt) problems.push(`  recalculé, absent des agrégats : ${describeRollup(r)}`);
  }
  const chain = await checkChain(trx);
  problems.push(...chain.problems);
  return {
    entries,
    contractMonths: sums.length,
    problems,
    chain: { length: chain.length, head: chain.head, unsealed: chain.unsealed },
  };
}

function describeRollup(r: Record<string, unknown>): string {
  const value =
    r.centihours !== undefined
      ? hours(Number(r.centihours))
      : `${r.n} (${r.entity === 'p' ? 'personnes' : 'contrats'})`;
  return `dimension ${r.dim}, clé « ${r.key} », ${formatMonthFr(String(r.month))} : ${value}`;
}
