import type { Knex } from 'knex';
import { BASE_FROM, type Dimension } from './dimensions.js';
import type { Period } from './rollups.query.js';

export interface PairRow { k1: string; k2: string; centihours: number; beneficiaries: number; contracts: number }

/**
 * Two contract dimensions at once (e.g. cité x catégorie): an exact GROUP BY over the
 * contract-month totals (not the raw entries). Slower than the rollups, which keep one
 * dimension (with month or year) each; see docs/reports.md.
 */
export async function pairBreakdown(db: Knex, programmeId: number, d1: Dimension, d2: Dimension, period: Period): Promise<PairRow[]> {
  const where = ['ci.programme_id = ?', d1.where, d2.where].filter(Boolean);
  const params: Array<string | number> = [programmeId];
  if (period.from) (where.push('cm.month >= ?'), params.push(period.from));
  if (period.to) (where.push('cm.month <= ?'), params.push(period.to));
  const r = await db.raw(
    `SELECT ${d1.sql} AS k1, ${d2.sql} AS k2, SUM(cm.centihours) AS centihours,
       COUNT(DISTINCT CASE WHEN cm.centihours > 0 THEN c.participant_id END) AS beneficiaries,
       COUNT(DISTINCT CASE WHEN cm.centihours > 0 THEN c.id END) AS contracts
     ${BASE_FROM} ${d1.join ?? ''} ${d2.join ?? ''}
     WHERE ${where.join(' AND ')}
     GROUP BY ${d1.sql}, ${d2.sql}`,
    params,
  );
  const rows: any[] = Array.isArray(r) ? r : r.rows;
  return rows.map((x) => ({
    k1: String(x.k1), k2: String(x.k2), centihours: Number(x.centihours ?? 0),
    beneficiaries: Number(x.beneficiaries ?? 0), contracts: Number(x.contracts ?? 0),
  }));
}
