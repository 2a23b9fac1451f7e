import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';
import { insertFlat } from '../db/bulk.js';
import type { SqlValue } from '../db/sql.js';
import type { ContractFacts } from './dimensions.js';

// Knex queries of the report rollups (tables of db/migrations/005_reports.ts).

const CHUNK = 400;

function chunks<T>(xs: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** The facts of contracts, with the structures covering their cité's EPCI. */
export async function contractFacts(
  db: Knex,
  where: { ids?: number[]; participantIds?: number[] },
): Promise<ContractFacts[]> {
  const [column, values] = where.ids ? ['c.id', where.ids] : ['c.participant_id', where.participantIds ?? []];
  const rows: ContractFacts[] = [];
  for (const part of chunks(values)) {
    rows.push(
      ...(await db('contracts as c')
        .join('marches as m', 'm.id', 'c.marche_id')
        .join('cites as ci', 'ci.id', 'm.cite_id')
        .join('epcis as e', 'e.id', 'ci.epci_id')
        .join('participants as p', 'p.id', 'c.participant_id')
        .whereIn(column, part)
        .select(
          'c.id',
          'c.participant_id',
          'ci.programme_id',
          'c.marche_id',
          'm.cite_id',
          'ci.epci_id',
          'e.departement_code',
          'ci.bailleur_id',
          'm.contractor_id',
          'c.contract_type',
          'c.mode',
          'c.categories',
          'c.cat_rsa',
          'c.cat_jeune',
          'c.cat_senior',
          'c.rsa_departement',
          'p.sex',
        )),
    );
  }
  const epcis = [...new Set(rows.map((r) => r.epci_id))];
  const links = epcis.length
    ? await db('structure_epcis').whereIn('epci_id', epcis).select('epci_id', 'structure_id').orderBy('structure_id')
    : [];
  for (const r of rows)
    r.structure_ids = links.filter((l: any) => l.epci_id === r.epci_id).map((l: any) => Number(l.structure_id));
  return rows;
}

/** Locks participants (PostgreSQL) so two transactions never interleave one person's chains. */
export async function lockParticipants(db: Knex, ids: number[]): Promise<void> {
  if (!isPostgres(db) || !ids.length) return;
  for (const part of chunks([...ids].sort((a, b) => a - b))) {
    await db('participants').whereIn('id', part).orderBy('id').forUpdate().select('id');
  }
}

/** Months with hours > 0 of each contract, as the ledger stands now, sorted. */
export async function positiveMonths(db: Knex, contractIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>(contractIds.map((id) => [id, []]));
  for (const part of chunks(contractIds)) {
    const rows = await db('contract_months')
      .whereIn('contract_id', part)
      .where('centihours', '>', 0)
      .orderBy([{ column: 'contract_id' }, { column: 'month' }])
      .select('contract_id', 'month');
    let id = NaN;
    let list: string[] = [];
    for (const r of rows) {
      if (r.contract_id !== id) list = out.get((id = r.contract_id))!;
      list.push(r.month);
    }
  }
  return out;
}

export interface HoursDelta {
  programme_id: number;
  dim: string;
  key: string;
  month: string;
  centihours: number;
}
export interface CountDelta {
  programme_id: number;
  dim: string;
  entity: 'p' | 'c';
  key: string;
  month: string;
  prev: string;
  n: number;
}

// Rows are written in primary-key order, and hours before counts: concurrent transactions
// (PostgreSQL) then take their row locks in one global order and cannot deadlock on them.
// The sort key of each row is built once (not at each comparison).
const SEP = '\u0000';
function sortedBy<T>(rows: T[], key: (r: T) => string): T[] {
  const keyed = rows.map((r) => ({ k: key(r), r }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return keyed.map((x) => x.r);
}

const HOURS_UPSERT = {
  head: 'insert into report_hours (programme_id, dim, "key", month, centihours)',
  columns: 5,
  tail: 'on conflict (programme_id, dim, "key", month) do update set centihours = report_hours.centihours + excluded.centihours',
};
const COUNTS_UPSERT = {
  head: 'insert into report_counts (programme_id, dim, entity, "key", month, prev, n)',
  columns: 7,
  tail: 'on conflict (programme_id, dim, entity, "key", month, prev) do update set n = report_counts.n + excluded.n',
};

/** Adds signed amounts to the rollups (rows are created at the first amount). */
export async function addHours(db: Knex, rows: HoursDelta[]): Promise<void> {
  const values: SqlValue[] = [];
  for (const r of sortedBy(rows, (r) => [r.programme_id, r.dim, r.key, r.month].join(SEP)))
    values.push(r.programme_id, r.dim, r.key, r.month, r.centihours);
  await insertFlat(db, HOURS_UPSERT, values);
}

export async function addCounts(db: Knex, rows: CountDelta[]): Promise<void> {
  const values: SqlValue[] = [];
  for (const r of sortedBy(rows, (r) => [r.programme_id, r.dim, r.entity, r.key, r.month, r.prev].join(SEP)))
    values.push(r.programme_id, r.dim, r.entity, r.key, r.month, r.prev, r.n);
  await insertFlat(db, COUNTS_UPSERT, values);
}

/** Every contract-month total (zeros included) of some contracts. */
export async function monthTotals(
  db: Knex,
  contractIds: number[],
): Promise<Array<{ contract_id: number; month: string; centihours: number }>> {
  const out: Array<{ contract_id: number; month: string; centihours: number }> = [];
  for (const part of chunks(contractIds)) {
    const rows = await db('contract_months').whereIn('contract_id', part).select('contract_id', 'month', 'centihours');
    for (const r of rows)
      out.push({ contract_id: Number(r.contract_id), month: r.month, centihours: Number(r.centihours) });
  }
  return out;
}
