import type { Knex } from 'knex';
import { BASE_FROM, DIMENSIONS, type Dimension } from '../dimensions.js';

// Set-based recomputation of the report rollups from contract_months, in one transaction.
// Used by the benchmark (after raw inserts), by `npm run cli -- reports:rebuild` (after a
// marché changes cité or contractor, say) and by the tests, which check that it gives
// exactly what the incremental upkeep gives.

function source(dim: Dimension): string {
  return `${BASE_FROM} ${dim.join ?? ''} ${dim.where ? `WHERE ${dim.where}` : ''}`;
}

function positive(dim: Dimension): string {
  return dim.where ? `AND cm.centihours > 0` : `WHERE cm.centihours > 0`;
}

export async function rebuildDimension(db: Knex, dim: Dimension): Promise<void> {
  await db.raw(
    `INSERT INTO report_hours (programme_id, dim, "key", month, centihours)
     SELECT programme_id, ?, k, month, SUM(h) FROM (
       SELECT ci.programme_id AS programme_id, ${dim.sql} AS k, cm.month AS month, cm.centihours AS h ${source(dim)}
     ) d
     GROUP BY programme_id, k, month`,
    [dim.code],
  );
  for (const [entity, owner] of [
    ['p', 'c.participant_id'],
    ['c', 'c.id'],
  ] as const) {
    await db.raw(
      `INSERT INTO report_counts (programme_id, dim, entity, "key", month, prev, n)
       SELECT programme_id, ?, ?, k, month, prev, COUNT(*) FROM (
         SELECT programme_id, k, month,
           COALESCE(LAG(month) OVER (PARTITION BY programme_id, k, owner ORDER BY month), '') AS prev
         FROM (SELECT DISTINCT ci.programme_id AS programme_id, ${dim.sql} AS k, ${owner} AS owner, cm.month AS month
               ${source(dim)} ${positive(dim)}) d
       ) w
       GROUP BY programme_id, k, month, prev`,
      [dim.code, entity],
    );
  }
}

/** Recomputes every rollup; `onDimension` reports progress (benchmark, CLI). */
export async function rebuildRollups(db: Knex, onDimension?: (code: string) => void): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('report_counts').delete();
    await trx('report_hours').delete();
    for (const dim of DIMENSIONS) {
      await rebuildDimension(trx, dim);
      onDimension?.(dim.code);
    }
  });
}
