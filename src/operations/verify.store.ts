import type { Knex } from 'knex';
import { isPostgres } from '../db/knex.js';

// SQL of `ledger verify`. Nothing here writes to the ledger's own tables: the rollups are
// recomputed into temporary tables of the same names, which shadow the real ones for the
// connection (both engines look up temporary tables first), inside a transaction rolled back.

export interface MonthSum {
  contract_id: number;
  month: string;
  centihours: number;
}

/** The total of every contract-month, summed from the entries themselves. */
export async function monthSumsFromEntries(db: Knex): Promise<MonthSum[]> {
  const rows: Array<{ contract_id: number; month: string; centihours: number | string }> = await db('hour_entries')
    .select('contract_id', 'month', db.raw('SUM(centihours) AS centihours'))
    .groupBy('contract_id', 'month');
  return rows.map((r) => ({
    contract_id: Number(r.contract_id),
    month: String(r.month),
    centihours: Number(r.centihours),
  }));
}

/** The stored totals (`contract_months`), kept by every write. */
export async function storedMonthTotals(db: Knex): Promise<MonthSum[]> {
  const rows = await db('contract_months').select('contract_id', 'month', 'centihours');
  return rows.map((r) => ({
    contract_id: Number(r.contract_id),
    month: String(r.month),
    centihours: Number(r.centihours),
  }));
}

export async function contractRefs(db: Knex, ids: number[]): Promise<Map<number, string>> {
  const rows: Array<{ id: number; ref: string }> = ids.length
    ? await db('contracts').whereIn('id', ids).select('id', 'ref')
    : [];
  return new Map(rows.map((r) => [Number(r.id), r.ref]));
}

export async function entryCount(db: Knex): Promise<number> {
  const r = await db('hour_entries').count({ n: '*' }).first();
  return Number(r?.n ?? 0);
}

export const ROLLUP_TABLES = ['report_hours', 'report_counts'] as const;
const COLUMNS = {
  report_hours: ['programme_id', 'dim', '"key"', 'month', 'centihours'],
  report_counts: ['programme_id', 'dim', 'entity', '"key"', 'month', 'prev', 'n'],
} as const;

/** Creates the empty temporary twins of the rollup tables (they shadow the real ones). */
export async function shadowRollupTables(trx: Knex.Transaction): Promise<string> {
  if (isPostgres(trx)) {
    const schema = String((await trx.raw<{ rows: Array<{ s: string }> }>('SELECT current_schema() AS s')).rows[0].s);
    for (const t of ROLLUP_TABLES)
      await trx.raw(`CREATE TEMPORARY TABLE ${t} (LIKE "${schema}".${t} INCLUDING DEFAULTS) ON COMMIT DROP`);
    return `"${schema}"`;
  }
  for (const t of ROLLUP_TABLES) await trx.raw(`CREATE TEMPORARY TABLE ${t} AS SELECT * FROM main.${t} WHERE 0`);
  return 'main';
}

export interface RollupDiff {
  table: string;
  onlyStored: Array<Record<string, unknown>>;
  onlyRebuilt: Array<Record<string, unknown>>;
  count: number;
}

/** Rows of the stored rollups missing from the rebuilt ones, and the reverse (first `limit` each). */
export async function diffRollups(trx: Knex.Transaction, realSchema: string, limit = 10): Promise<RollupDiff[]> {
  const out: RollupDiff[] = [];
  for (const t of ROLLUP_TABLES) {
    const cols = COLUMNS[t].join(', ');
    const real = `${realSchema}.${t}`;
    // A rollup row at zero and an absent one say the same thing: zeros are left out.
    const nonZero = t === 'report_hours' ? 'centihours <> 0' : 'n <> 0';
    const side = async (a: string, b: string) => {
      const sql = `SELECT ${cols} FROM ${a} WHERE ${nonZero} EXCEPT SELECT ${cols} FROM ${b} WHERE ${nonZero}`;
      const count = await trx.raw(`SELECT COUNT(*) AS n FROM (${sql}) d`);
      const n = Number((isPostgres(trx) ? count.rows : count)[0].n);
      const rows = n ? await trx.raw(`${sql} LIMIT ${limit}`) : [];
      return { n, rows: (isPostgres(trx) ? rows.rows : rows) as Array<Record<string, unknown>> };
    };
    const stored = await side(real, t);
    const rebuilt = await side(t, real);
    out.push({ table: t, onlyStored: stored.rows, onlyRebuilt: rebuilt.rows, count: stored.n + rebuilt.n });
  }
  return out;
}
