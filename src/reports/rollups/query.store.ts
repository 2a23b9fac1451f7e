import type { Knex } from 'knex';

// Reads of the report rollups. Hours are sums; distinct counts sum the chain links whose
// month is in the period and whose previous month is before the period's (or bucket's)
// start: each owner is then counted once per bucket (see db/migrations/005_reports.ts).

export interface Period {
  from?: string; // yyyy-MM inclusive
  to?: string;
}
export type Bucket = 'none' | 'month' | 'year';

const bucketSql = (b: Bucket) => (b === 'month' ? 'month' : b === 'year' ? 'substr(month, 1, 4)' : "''");
// PostgreSQL refuses a constant in GROUP BY: no bucket, group by the key alone.
const groupSql = (b: Bucket) => (b === 'none' ? '"key"' : `"key", ${bucketSql(b)}`);

function base(db: Knex, table: string, programmeId: number, dim: string, period: Period, keys?: string[]) {
  const q = db(table).where({ programme_id: programmeId, dim });
  if (period.from) q.where('month', '>=', period.from);
  if (period.to) q.where('month', '<=', period.to);
  if (keys) q.whereIn('key', keys);
  return q;
}

export interface HoursRow {
  key: string;
  bucket: string;
  centihours: number;
}
export interface CountRow {
  key: string;
  bucket: string;
  n: number;
}

export async function hoursBy(
  db: Knex,
  programmeId: number,
  dim: string,
  period: Period,
  bucket: Bucket = 'none',
  keys?: string[],
): Promise<HoursRow[]> {
  const b = bucketSql(bucket);
  const rows = await base(db, 'report_hours', programmeId, dim, period, keys)
    .select('key', db.raw(`${b} AS bucket`))
    .sum({ centihours: 'centihours' })
    .groupByRaw(groupSql(bucket));
  return (rows as Array<{ key: unknown; bucket: unknown; centihours: unknown }>).map((r) => ({
    key: String(r.key),
    bucket: String(r.bucket ?? ''),
    centihours: Number(r.centihours ?? 0),
  }));
}

export async function countsBy(
  db: Knex,
  programmeId: number,
  dim: string,
  entity: 'p' | 'c',
  period: Period,
  bucket: Bucket = 'none',
  keys?: string[],
): Promise<CountRow[]> {
  const b = bucketSql(bucket);
  const q = base(db, 'report_counts', programmeId, dim, period, keys).where('entity', entity);
  const from = period.from ?? '';
  if (bucket === 'none') {
    if (from) q.where('prev', '<', from);
    else q.where('prev', '');
  } else if (bucket === 'year') {
    // prev < max(from, the bucket's first month)
    q.where((w) => {
      w.whereRaw("prev < (substr(month, 1, 4) || '-01')");
      if (from) w.orWhere('prev', '<', from);
    });
  } // month buckets: every link counts (prev < month always).
  const rows = await q
    .select('key', db.raw(`${b} AS bucket`))
    .sum({ n: 'n' })
    .groupByRaw(groupSql(bucket));
  return (rows as Array<{ key: unknown; bucket: unknown; n: unknown }>).map((r) => ({
    key: String(r.key),
    bucket: String(r.bucket ?? ''),
    n: Number(r.n ?? 0),
  }));
}

/** A lookup of rows by key (and bucket). */
export function byKey<T extends { key: string; bucket: string }>(rows: T[]): Map<string, T> {
  return new Map(rows.map((r) => [`${r.key}|${r.bucket}`, r]));
}
