import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertWriter } from '../accounts/policy.js';
import { toHours } from '../lib/hours.js';
import type { ReadInfo, RowError } from './csv.js';
import * as store from './imports.store.js';

// What the two imports share: where the file comes from, the answer documented in docs/imports.md, the
// import record, and the list of imports.

export interface ImportSource {
  stream: Readable;
  fileName: string | null;
  via: 'api' | 'cli';
  /** Progress, in bytes read. */
  onBytes?: (n: number) => void;
  /** Progress, phase names once the file is read (CLI). */
  onPhase?: (label: string) => void;
}

/**
 * The answer of an import (hours imports add hoursAdded). `format` and `encoding` say how the
 * file was read (a Windows-1252 CSV is read, and said so); `twoDigitYears` counts the dates
 * written dd/MM/yy that were read with the century rule of docs/imports.md.
 */
export interface ImportResult {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  hoursAdded?: number;
  format: ReadInfo['format'];
  encoding: ReadInfo['encoding'];
  twoDigitYears: number;
  errors: RowError[];
}

export interface ImportOutcome {
  result: ImportResult;
  importId: number;
  /** Errors found, including those beyond the reported cap. */
  errorCount: number;
}

/** Thrown inside the import's transaction to roll it back (dry run, or errors found). */
export class Rollback extends Error {}

/** Hashes the bytes of the file as they stream by. */
export function fileDigest(source: ImportSource) {
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  return {
    onChunk: (c: Buffer) => {
      hash.update(c);
      bytes += c.length;
      source.onBytes?.(c.length);
    },
    done: () => ({ sha256: hash.digest('hex'), bytes }),
  };
}

export interface RecordInput {
  kind: 'marches' | 'hours';
  source: ImportSource;
  file: { sha256: string; bytes: number };
  result: ImportResult;
  errorCount: number;
  centihoursAdded: number;
}

/** The import record; inside the import's transaction when applied, alone otherwise. */
export function recordImport(db: Knex, ctx: AppContext, actor: Actor, r: RecordInput): Promise<number> {
  const { result } = r;
  const status = r.errorCount ? 'rejected' : result.dryRun ? 'dry_run' : 'applied';
  return store.insertImport(db, {
    kind: r.kind,
    account_id: actor.id,
    actor_name: actor.name,
    source: r.source.via,
    file_name: r.source.fileName,
    file_sha256: r.file.sha256,
    file_bytes: r.file.bytes,
    dry_run: result.dryRun,
    status,
    rows: result.rows,
    created: result.created,
    updated: result.updated,
    unchanged: result.unchanged,
    hours_added_centihours: status === 'rejected' ? 0 : r.centihoursAdded,
    error_count: r.errorCount,
    created_at: nowIso(ctx),
  });
}

/** A stored import record as the database gives it back (booleans 1/0 and bigints as text on some engines). */
export type StoredImport = Omit<store.ImportRecord, 'dry_run'> & { id: number | string; dry_run: boolean | number };

export const importView = (r: StoredImport) => ({
  id: Number(r.id),
  kind: r.kind,
  status: r.status,
  dryRun: r.dry_run === true || r.dry_run === 1,
  account: { id: r.account_id ?? null, name: r.actor_name },
  source: r.source,
  fileName: r.file_name ?? null,
  fileSha256: r.file_sha256,
  fileBytes: Number(r.file_bytes),
  rows: Number(r.rows),
  created: Number(r.created),
  updated: Number(r.updated),
  unchanged: Number(r.unchanged),
  hoursAdded: toHours(Number(r.hours_added_centihours)),
  errorCount: Number(r.error_count),
  createdAt: r.created_at,
});

/** Latest imports first; a facilitator sees its own, an admin all. */
export async function listImports(ctx: AppContext, actor: Actor, limit = 100) {
  assertWriter(actor);
  const rows = await store.listImports(ctx.db, actor.role === 'admin' ? null : actor.id, limit);
  return rows.map(importView);
}
