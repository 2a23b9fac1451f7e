// Result normalisation between SQLite and PostgreSQL (see TOOLCHAIN.md): booleans come back
// as 1/0 on SQLite, counts may be strings on PostgreSQL when not bigint.
export const toBool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't';
export const toNum = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** True when the error is a unique-constraint violation, on either engine. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** Inserts one row and returns its id, on either engine. */
export async function insertReturningId(
  db: import('knex').Knex,
  table: string,
  row: Record<string, unknown>,
): Promise<number> {
  const [r] = await db(table).insert(row).returning('id');
  return typeof r === 'object' ? Number(r.id) : Number(r);
}
