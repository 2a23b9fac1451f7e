import type { Knex } from 'knex';
import { isPostgres } from '../../db/knex.js';
import { type BulkInsert, insertFlat } from '../../db/bulk.js';
import { queryRows, type SqlValue } from '../../db/sql.js';
import type { ContractFacts } from '../dimensions.js';

// Knex queries of the report rollups (tables of db/migrations/005_reports.ts).

const CHUNK = 400;

function chunks<T>(xs: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

const marks = (n: number) => new Array(n).fill('?').join(', ');

const FACTS_SELECT = `select c.id, c.participant_id, ci.programme_id, c.marche_id, m.cite_id, ci.epci_id,
  e.departement_code, ci.bailleur_id, m.contractor_id, c.contract_type, c.mode, c.categories, c.cat_rsa,
  c.cat_jeune, c.cat_senior, c.rsa_departement, p.sex
  from contracts c join marches m on m.id = c.marche_id join cites ci on ci.id = m.cite_id
  join epcis e on e.id = ci.epci_id join participants p on p.id = c.participant_id`;

type FactsRow = Omit<ContractFacts, 'structure_ids'>;

/** The facts of contracts, with the structures covering their cité's EPCI (prepared statements on SQLite). */
export async function contractFacts(
  db: Knex,
  where: { ids?: number[]; participantIds?: number[]; participantsOf?: number[] },
): Promise<ContractFacts[]> {
  // participantsOf: every contract of the persons holding these contracts.
  const [filter, values] = where.ids
    ? [(n: number) => `c.id in (${marks(n)})`, where.ids]
    : where.participantsOf
      ? [
          (n: number) => `c.participant_id in (select participant_id from contracts where id in (${marks(n)}))`,
          where.participantsOf,
        ]
      : [(n: number) => `c.participant_id in (${marks(n)})`, where.participantIds ?? []];
  const rows: ContractFacts[] = [];
  const seen = new Set<number>();
  for (const part of chunks(values)) {
    const found = await queryRows<FactsRow>(db, `${FACTS_SELECT} where ${filter(part.length)}`, part);
    for (const r of found) {
      if (seen.has(Number(r.id))) continue; // persons across two parts
      seen.add(Number(r.id));
      rows.push({
        ...r,
        id: Number(r.id),
        participant_id: Number(r.participant_id),
        programme_id: Number(r.programme_id),
        marche_id: Number(r.marche_id),
        cite_id: Number(r.cite_id),
        epci_id: Number(r.epci_id),
        bailleur_id: r.bailleur_id == null ? null : Number(r.bailleur_id),
        contractor_id: Number(r.contractor_id),
        structure_ids: [],
      });
    }
  }
  const epcis = [...new Set(rows.map((r) => r.epci_id))];
  const byEpci = new Map<number, number[]>();
  for (const part of chunks(epcis)) {
    const links = await queryRows<{ epci_id: number; structure_id: number }>(
      db,
      `select epci_id, structure_id from structure_epcis where epci_id in (${marks(part.length)}) order by ` +
        `structure_id`,
      part,
    );
    for (const l of links) {
      const list = byEpci.get(Number(l.epci_id));
      if (list) list.push(Number(l.structure_id));
      else byEpci.set(Number(l.epci_id), [Number(l.structure_id)]);
    }
  }
  for (const r of rows) r.structure_ids = byEpci.get(r.epci_id) ?? [];
  return rows;
}

/** Locks participants (PostgreSQL) so two transactions never interleave one person's chains. */
export async function lockParticipants(db: Knex, ids: number[]): Promise<void> {
  if (!isPostgres(db) || !ids.length) return;
  for (const part of chunks([...ids].sort((a, b) => a - b)))
    await queryRows(db, `select id from participants where id in (${marks(part.length)}) order by id for update`, part);
}

/** Months with hours > 0 of each contract, as the ledger stands now, sorted. */
export async function positiveMonths(db: Knex, contractIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>(contractIds.map((id) => [id, []]));
  for (const part of chunks(contractIds)) {
    const rows = await queryRows<{ contract_id: number; month: string }>(
      db,
      `select contract_id, month from contract_months where contract_id in (${marks(part.length)})
        and centihours > 0 order by contract_id, month`,
      part,
    );
    let id = Number.NaN;
    let list: string[] = [];
    for (const r of rows) {
      const cid = Number(r.contract_id);
      if (cid !== id) list = out.get((id = cid)) ?? [];
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

// Rows are written in one global order, hours before counts: concurrent transactions
// (PostgreSQL) then take their row locks in the same order and cannot deadlock on them. The
// order is that of `rowOrder` over (programme, dim, [entity,] key), then month, then prev;
// RollupDeltas (./deltas.ts), which makes every row written here, gives them in that order.
const SEP = '\u0000';
export const rowOrder = (parts: Array<string | number>): string => parts.join(SEP);

/** Rows written per round of statements: a long import's rows never sit all in one array. */
const ROWS_PER_ROUND = 2_000;

async function upsertInRounds<T>(db: Knex, q: BulkInsert, rows: Iterable<T>, cells: (r: T) => SqlValue[]) {
  let values: SqlValue[] = [];
  for (const r of rows) {
    for (const v of cells(r)) values.push(v);
    if (values.length >= ROWS_PER_ROUND * q.columns) {
      await insertFlat(db, q, values);
      values = [];
    }
  }
  if (values.length) await insertFlat(db, q, values);
}

const HOURS_UPSERT = {
  head: 'insert into report_hours (programme_id, dim, "key", month, centihours)',
  columns: 5,
  tail:
    'on conflict (programme_id, dim, "key", month) do update set centihours = report_hours.centihours + ' +
    'excluded.centihours',
};
const COUNTS_UPSERT = {
  head: 'insert into report_counts (programme_id, dim, entity, "key", month, prev, n)',
  columns: 7,
  tail: 'on conflict (programme_id, dim, entity, "key", month, prev) do update set n = report_counts.n + excluded.n',
};

/** Adds signed amounts to the rollups (rows are created at the first amount), rows in the order above. */
export async function addHours(db: Knex, rows: Iterable<HoursDelta>): Promise<void> {
  await upsertInRounds(db, HOURS_UPSERT, rows, (r) => [r.programme_id, r.dim, r.key, r.month, r.centihours]);
}

export async function addCounts(db: Knex, rows: Iterable<CountDelta>): Promise<void> {
  await upsertInRounds(db, COUNTS_UPSERT, rows, (r) => [r.programme_id, r.dim, r.entity, r.key, r.month, r.prev, r.n]);
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

/** The persons holding contracts on some marchés, each once. */
export async function participantsOfMarches(db: Knex, marcheIds: number[]): Promise<number[]> {
  const out = new Set<number>();
  for (const part of chunks(marcheIds)) {
    const rows = await queryRows<{ participant_id: number }>(
      db,
      `select distinct participant_id from contracts where marche_id in (${marks(part.length)})`,
      part,
    );
    for (const r of rows) out.add(Number(r.participant_id));
  }
  return [...out];
}

/** The marchés on some cités, or on the cités of some EPCIs. */
export async function marchesOf(db: Knex, where: { citeIds?: number[]; epciIds?: number[] }): Promise<number[]> {
  const out: number[] = [];
  if (where.citeIds?.length)
    for (const part of chunks(where.citeIds))
      out.push(...(await db('marches').whereIn('cite_id', part).pluck('id')).map(Number));
  if (where.epciIds?.length)
    for (const part of chunks(where.epciIds))
      out.push(
        ...(await db('marches').whereIn('cite_id', db('cites').whereIn('epci_id', part).select('id')).pluck('id')).map(
          Number,
        ),
      );
  return [...new Set(out)];
}

export async function updateCite(db: Knex, id: number, patch: { epci_id?: number; bailleur_id?: number | null }) {
  await db('cites').where({ id }).update(patch);
}

/** The links among `links` that do not exist yet. */
export async function missingStructureLinks(
  db: Knex,
  links: Array<{ structure_id: number; epci_id: number }>,
): Promise<Array<{ structure_id: number; epci_id: number }>> {
  if (!links.length) return [];
  const existing: Array<{ structure_id: number; epci_id: number }> = await db('structure_epcis').select(
    'structure_id',
    'epci_id',
  );
  const have = new Set(existing.map((l) => `${l.structure_id}|${l.epci_id}`));
  return links.filter((l) => !have.has(`${l.structure_id}|${l.epci_id}`));
}

export async function insertStructureLinks(db: Knex, links: Array<{ structure_id: number; epci_id: number }>) {
  if (links.length) await db('structure_epcis').insert(links).onConflict(['structure_id', 'epci_id']).ignore();
}

/** A row of report_hours / report_counts, as read back (the same shape as a delta). */
export type HoursRollupRow = HoursDelta;
export type CountsRollupRow = CountDelta;

/** Every non-zero rollup row (zero rows carry no figure: the rebuild does not make them all). */
export async function nonZeroRollups(db: Knex): Promise<{ hours: HoursRollupRow[]; counts: CountsRollupRow[] }> {
  const hours: HoursRollupRow[] = await db('report_hours').whereNot('centihours', 0);
  const counts: CountsRollupRow[] = await db('report_counts').whereNot('n', 0);
  return { hours, counts };
}

export async function rollupRowCounts(db: Knex): Promise<{ hours: number; counts: number }> {
  const [h, c] = await Promise.all([
    db('report_hours').count({ n: '*' }).first(),
    db('report_counts').count({ n: '*' }).first(),
  ]);
  return { hours: Number(h?.n ?? 0), counts: Number(c?.n ?? 0) };
}
