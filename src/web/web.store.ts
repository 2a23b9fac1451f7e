import type { Knex } from 'knex';

// SQL of the web layer itself (what the header shows about the signed-in account).

export async function structureName(db: Knex, id: number): Promise<string | null> {
  const r = await db('structures').where({ id }).first('name');
  return r?.name ?? null;
}

export function structuresList(db: Knex): Promise<Array<{ code: string; name: string }>> {
  return db('structures').select('code', 'name').orderBy('code');
}

/** Names of accounts by id (authors of ledger lines). */
export async function accountNames(db: Knex, ids: number[]): Promise<Map<number, string>> {
  if (!ids.length) return new Map();
  const rows: Array<{ id: number; name: string }> = await db('accounts').whereIn('id', ids).select('id', 'name');
  return new Map(rows.map((r) => [Number(r.id), r.name]));
}
