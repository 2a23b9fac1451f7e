import crypto from 'node:crypto';
import type { Knex } from 'knex';
import {
  appendLinks,
  countUnsealed,
  type EntryRow,
  lastLink,
  linksWithEntries,
  unsealedEntries,
} from './chain.store.js';

// A hash chain over the append-only ledger: link n = SHA-256(link n-1, entry n's content).
// `sealLedger` appends the entries not sealed yet (in id order); `checkChain` recomputes every
// link, so that a sealed entry changed or removed behind the application's back is found.
// Its head hash, kept outside the database, is what proves the whole chain.

export const GENESIS = '0'.repeat(64);
const BATCH = 5000;

/** The entry's content as hashed: every column, in a fixed order, numbers as integers. */
export function linkHash(prev: string, e: EntryRow): string {
  const fields = [
    e.id,
    e.contract_id,
    e.month,
    e.centihours,
    e.kind,
    e.corrects_id ?? '',
    e.reason ?? '',
    e.idempotency_key ?? '',
    e.posted_by ?? '',
    e.import_id ?? '',
    e.created_at,
  ].map((v) => (typeof v === 'number' ? String(Math.trunc(v)) : String(v)));
  return crypto
    .createHash('sha256')
    .update(`${prev}\n${JSON.stringify(fields)}`)
    .digest('hex');
}

const asEntry = (r: Record<string, unknown>): EntryRow => ({
  id: Number(r.id),
  contract_id: Number(r.contract_id),
  month: String(r.month),
  centihours: Number(r.centihours),
  kind: String(r.kind),
  corrects_id: r.corrects_id === null ? null : Number(r.corrects_id),
  reason: (r.reason as string | null) ?? null,
  idempotency_key: (r.idempotency_key as string | null) ?? null,
  posted_by: r.posted_by === null ? null : Number(r.posted_by),
  import_id: r.import_id === null ? null : Number(r.import_id),
  created_at: String(r.created_at),
});

/** Seals every entry not sealed yet; returns how many, and the head of the chain. */
export async function sealLedger(db: Knex, at: string): Promise<{ sealed: number; head: string; length: number }> {
  return db.transaction(async (trx) => {
    const last = await lastLink(trx);
    let prev = last?.hash ?? GENESIS;
    let seq = last?.seq ?? 0;
    let afterId = 0;
    let sealed = 0;
    for (;;) {
      const rows = await unsealedEntries(trx, afterId, BATCH);
      if (!rows.length) break;
      const links = rows.map((r) => {
        const e = asEntry(r as unknown as Record<string, unknown>);
        prev = linkHash(prev, e);
        return { seq: ++seq, entry_id: e.id, hash: prev, sealed_at: at };
      });
      await appendLinks(trx, links);
      sealed += rows.length;
      afterId = Number(rows[rows.length - 1].id);
    }
    return { sealed, head: prev, length: seq };
  });
}

export interface ChainCheck {
  length: number;
  head: string;
  unsealed: number;
  /** The first broken links, in French. */
  problems: string[];
  broken: number;
}

/** Recomputes every link; reports sealed entries that changed or disappeared. */
export async function checkChain(db: Knex, limit = 10): Promise<ChainCheck> {
  let prev = GENESIS;
  let afterSeq = 0;
  let broken = 0;
  const problems: string[] = [];
  for (;;) {
    const rows = await linksWithEntries(db, afterSeq, BATCH);
    if (!rows.length) break;
    for (const r of rows) {
      const seq = Number(r.seq);
      if (r.id === null) {
        broken++;
        if (problems.length < limit)
          problems.push(`Chaîne d’empreintes : la ligne n° ${r.entry_id} (maillon ${seq}) a disparu du registre.`);
      } else if (linkHash(prev, asEntry(r as unknown as Record<string, unknown>)) !== r.hash) {
        broken++;
        if (problems.length < limit)
          problems.push(
            `Chaîne d’empreintes : la ligne n° ${r.entry_id} (maillon ${seq}) ne correspond plus à son empreinte ` +
              `(modifiée après scellement, ou maillon altéré).`,
          );
      }
      // The stored hash carries on: one altered entry breaks its own link, not every later one.
      prev = r.hash;
      afterSeq = seq;
    }
  }
  if (broken > problems.length) problems.push(`… et ${broken - problems.length} autres maillons rompus.`);
  return { length: afterSeq, head: prev, unsealed: await countUnsealed(db), problems, broken };
}
