import type { Knex } from 'knex';

// SQL of the hash chain (`ledger_chain`), read and appended by src/operations only.

export interface EntryRow {
  id: number;
  contract_id: number;
  month: string;
  centihours: number;
  kind: string;
  corrects_id: number | null;
  reason: string | null;
  idempotency_key: string | null;
  posted_by: number | null;
  import_id: number | null;
  created_at: string;
}

export interface ChainLink {
  seq: number;
  entry_id: number;
  hash: string;
}

const ENTRY_COLUMNS = [
  'e.id',
  'e.contract_id',
  'e.month',
  'e.centihours',
  'e.kind',
  'e.corrects_id',
  'e.reason',
  'e.idempotency_key',
  'e.posted_by',
  'e.import_id',
  'e.created_at',
];

export async function lastLink(db: Knex): Promise<ChainLink | undefined> {
  return db('ledger_chain').orderBy('seq', 'desc').first('seq', 'entry_id', 'hash');
}

/** Entries not sealed yet, in id order, `limit` at a time. */
export function unsealedEntries(db: Knex, afterId: number, limit: number): Promise<EntryRow[]> {
  return db('hour_entries as e')
    .leftJoin('ledger_chain as l', 'l.entry_id', 'e.id')
    .whereNull('l.entry_id')
    .where('e.id', '>', afterId)
    .orderBy('e.id')
    .limit(limit)
    .select(ENTRY_COLUMNS);
}

export async function appendLinks(db: Knex, links: Array<ChainLink & { sealed_at: string }>): Promise<void> {
  for (let i = 0; i < links.length; i += 400) await db('ledger_chain').insert(links.slice(i, i + 400));
}

/** Links from `afterSeq` on, with the entry each one sealed (null columns when it is gone). */
export function linksWithEntries(
  db: Knex,
  afterSeq: number,
  limit: number,
): Promise<Array<ChainLink & { [K in keyof EntryRow]: EntryRow[K] | null }>> {
  return db('ledger_chain as l')
    .leftJoin('hour_entries as e', 'e.id', 'l.entry_id')
    .where('l.seq', '>', afterSeq)
    .orderBy('l.seq')
    .limit(limit)
    .select(['l.seq', 'l.entry_id', 'l.hash', ...ENTRY_COLUMNS]);
}

export async function countUnsealed(db: Knex): Promise<number> {
  const r = await db('hour_entries as e')
    .leftJoin('ledger_chain as l', 'l.entry_id', 'e.id')
    .whereNull('l.entry_id')
    .count({ n: '*' })
    .first();
  return Number(r?.n ?? 0);
}
