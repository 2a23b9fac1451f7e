import type { Knex } from 'knex';

// SQL of the files checked on /imports, waiting to be applied (table web_checked_files).

export interface CheckedFile {
  sha256: string;
  kind: 'marches' | 'hours';
  fileName: string | null;
  content: Buffer;
}

export async function keepCheckedFile(db: Knex, accountId: number, f: CheckedFile, at: string): Promise<void> {
  await db('web_checked_files')
    .insert({
      account_id: accountId,
      sha256: f.sha256,
      kind: f.kind,
      file_name: f.fileName,
      content: f.content,
      created_at: at,
    })
    .onConflict(['account_id', 'sha256', 'kind'])
    .merge(['file_name', 'created_at']);
}

export async function findCheckedFile(
  db: Knex,
  accountId: number,
  sha256: string,
  kind: string,
): Promise<CheckedFile | undefined> {
  const r = await db('web_checked_files').where({ account_id: accountId, sha256, kind }).first();
  if (!r) return undefined;
  return { sha256: r.sha256, kind: r.kind, fileName: r.file_name ?? null, content: Buffer.from(r.content) };
}

export async function forgetCheckedFile(db: Knex, accountId: number, sha256: string, kind: string): Promise<void> {
  await db('web_checked_files').where({ account_id: accountId, sha256, kind }).delete();
}

/** Files checked before `before` (ISO time stamp) and never applied. */
export async function forgetOldCheckedFiles(db: Knex, before: string): Promise<void> {
  await db('web_checked_files').where('created_at', '<', before).delete();
}
