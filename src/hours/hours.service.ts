import type { Knex } from 'knex';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertWriter } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { AppError, errors } from '../core/errors.js';
import { toHours } from '../lib/hours.js';
import { getVisibleContract } from '../contracts/contracts.service.js';
import {
  appendEntries,
  appendKeyedEntries,
  appendKeyedEntry,
  type KeyedRequest,
  entryRowOf,
  ledgerContract,
  type NewEntry,
  requestHash,
  type Written,
} from './ledger.service.js';
import * as store from './ledger.store.js';
import { monthTotal, monthTotalsOfContract } from './month-totals.store.js';
import { type Batch, writeTransaction } from '../db/group-commit.js';

export const entryView = (r: store.HourEntryRow, contractRef: string) => ({
  id: r.id,
  contractRef,
  month: r.month,
  hours: toHours(r.centihours),
  kind: r.kind,
  correctsId: r.corrects_id ?? null,
  reason: r.reason ?? null,
  postedBy: r.posted_by ?? null,
  importId: r.import_id ?? null,
  createdAt: r.created_at,
});

export interface PostResult {
  entry: ReturnType<typeof entryView>;
  monthTotalHours: number;
  replayed: boolean;
}

// Keys are per account, so two accounts never collide on the same client-chosen key.
const storedKey = (actor: Actor, key: string) => `api:${actor.id}:${key}`;

/** The first result of a key, or a 409 when the key served another request. */
async function replay(db: Knex, key: string, hash: string, contractRef: string): Promise<PostResult | null> {
  const existing = await store.findEntryByKey(db, key);
  if (!existing) return null;
  if (existing.request_hash !== hash) throw errors.idempotencyKeyReused();
  const total = await monthTotal(db, existing.contract_id, existing.month);
  return { entry: entryView(existing, contractRef), monthTotalHours: toHours(total), replayed: true };
}

/** The structure whose scope a facilitator writes in (none: every contract). */
const scopeOf = (actor: Actor) => ({
  structureId: actor.role === 'facilitator' ? (actor.structureId ?? -1) : undefined,
});

/** A contract the actor may write hours on; 404 otherwise (its existence is not revealed). */
async function writableContract(db: Knex, actor: Actor, by: { id: number }) {
  const c = await store.findLedgerContract(db, by, scopeOf(actor));
  if (!c) throw errors.notFound('contract');
  return ledgerContract(c);
}

type Stamp = Pick<NewEntry, 'postedBy' | 'at'>;
type Audited = (trx: Knex, w: Written) => Promise<void>;
/** Writes one entry in `trx` (null: its key was taken), calling `audited` before the rollups. */
type Write = (trx: Knex, stamp: Stamp, audited: Audited) => Promise<Written | null>;

// New entries of the API run together when they arrive together (../db/group-commit.ts).
const entryBatch: Batch<KeyedRequest> = { run: appendKeyedEntries };

/**
 * Posts one entry, once per idempotency key: the key is taken by the insert itself, so a
 * replay (or a concurrent twin) writes nothing and returns the first result, read by
 * `contractRef`. `write` is either a work or a new entry (which can run in a batch).
 */
async function postOnce(
  ctx: AppContext,
  actor: Actor,
  contractRef: string,
  action: 'hours.post' | 'hours.correct',
  key: { stored: string; hash: string },
  write: { work: Write } | { entry: (stamp: Stamp, audited: Audited) => KeyedRequest },
  details: (e: NewEntry) => Record<string, unknown>,
): Promise<PostResult> {
  const at = nowIso(ctx);
  const stamp = { postedBy: actor.id, at };
  const audited: Audited = (trx, w) =>
    audit(trx, { at, accountId: actor.id, action, entity: 'hour_entry', ref: String(w.id), details: details(w.entry) });
  let written: Written | null;
  if ('entry' in write) {
    const request = write.entry(stamp, audited);
    written = await writeTransaction(ctx.db, (trx) => appendKeyedEntry(trx, request), {
      batch: { of: entryBatch, input: request },
    });
  } else written = await writeTransaction(ctx.db, (trx) => write.work(trx, stamp, audited));
  if (!written) {
    const r = await replay(ctx.db, key.stored, key.hash, contractRef);
    if (!r) throw errors.internal();
    return r;
  }
  const view = entryView({ id: written.id, ...entryRowOf(written.entry) }, written.entry.contract.ref);
  return { entry: view, monthTotalHours: toHours(written.total), replayed: false };
}

export async function postHours(
  ctx: AppContext,
  actor: Actor,
  input: { contractRef: string; month: string; centihours: number; idempotencyKey: string },
): Promise<PostResult> {
  assertWriter(actor);
  const key = {
    stored: storedKey(actor, input.idempotencyKey),
    hash: requestHash(['entry', input.contractRef, input.month, input.centihours]),
  };
  return postOnce(
    ctx,
    actor,
    input.contractRef,
    'hours.post',
    key,
    {
      entry: (stamp, audited) => ({
        ref: input.contractRef,
        scope: scopeOf(actor),
        entry: {
          month: input.month,
          centihours: input.centihours,
          kind: 'entry',
          idempotencyKey: key.stored,
          requestHash: key.hash,
          ...stamp,
        },
        beforeRollups: audited,
      }),
    },
    () => ({ contract: input.contractRef, month: input.month, centihours: input.centihours }),
  );
}

/**
 * A correction states what a line should have been. A line's value is its own amount plus
 * the values of the corrections that refer to it; the correction carries the target minus
 * that value and refers to the line it corrects, even when that line is itself a correction
 * (docs/rules.md, "Corrections").
 */
export async function correctEntry(
  ctx: AppContext,
  actor: Actor,
  input: { entryId: number; correctedCentihours: number; reason: string; idempotencyKey: string },
): Promise<PostResult> {
  assertWriter(actor);
  const target = await store.findEntryById(ctx.db, input.entryId);
  if (!target) throw errors.notFound('entry', input.entryId);
  // An entry of a contract out of the caller's scope does not exist for it: the 404 names the
  // entry asked for, never the other structure's contract.
  const contract = await writableContract(ctx.db, actor, { id: target.contract_id }).catch((e: unknown) => {
    throw e instanceof AppError && e.kind === 'not_found' ? errors.notFound('entry', input.entryId) : e;
  });
  const key = {
    stored: storedKey(actor, input.idempotencyKey),
    hash: requestHash(['correction', input.entryId, input.correctedCentihours, input.reason]),
  };
  // A replay answers first: the line may be worth the target by now, which is no change.
  const previous = await replay(ctx.db, key.stored, key.hash, contract.ref);
  if (previous) return previous;
  return postOnce(
    ctx,
    actor,
    contract.ref,
    'hours.correct',
    key,
    {
      work: async (trx, stamp, audited) => {
        // The month is locked before the line is read: two corrections of one line queue.
        await store.lockMonth(trx, contract.id, target.month);
        const delta = input.correctedCentihours - (await store.lineValue(trx, target));
        if (delta === 0) throw errors.noChange();
        const entry: NewEntry = {
          contract,
          month: target.month,
          centihours: delta,
          kind: 'correction',
          correctsId: target.id,
          reason: input.reason,
          idempotencyKey: key.stored,
          requestHash: key.hash,
          ...stamp,
        };
        const a = await appendEntries(trx, [entry], ({ keyedIds, changes }) =>
          audited(trx, { entry, id: keyedIds[0], total: changes[0].newTotal }),
        );
        return a && { entry, id: a.keyedIds[0], total: a.changes[0].newTotal };
      },
    },
    (e) => ({ corrects: target.id, centihours: e.centihours, reason: input.reason }),
  );
}

export async function contractLedger(ctx: AppContext, actor: Actor, contractRef: string) {
  const contract = await getVisibleContract(ctx.db, actor, contractRef);
  const id = Number(contract.id);
  const [entries, months] = await Promise.all([store.entriesOfContract(ctx.db, id), monthTotalsOfContract(ctx.db, id)]);
  const total = months.reduce((s, m) => s + m.centihours, 0);
  return {
    contractRef,
    totalHours: toHours(total),
    months: months.map((m) => ({ month: m.month, hours: toHours(m.centihours) })),
    entries: entries.map((e) => entryView(e, contractRef)),
  };
}
