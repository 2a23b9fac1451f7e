import type { Knex } from 'knex';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertWriter } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { AppError, errors } from '../core/errors.js';
import { toHours } from '../lib/hours.js';
import { getVisibleContract } from '../contracts/contracts.service.js';
import { appendEntries, entryRowOf, ledgerContract, type NewEntry, requestHash } from './ledger.service.js';
import * as store from './ledger.store.js';
import { writeTransaction } from '../db/group-commit.js';

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
  const total = await store.monthTotal(db, existing.contract_id, existing.month);
  return { entry: entryView(existing, contractRef), monthTotalHours: toHours(total), replayed: true };
}

/** A contract the actor may write hours on; 404 otherwise (its existence is not revealed). */
async function writableContract(db: Knex, actor: Actor, by: { ref: string } | { id: number }, closedMonth?: string) {
  const structureId = actor.role === 'facilitator' ? (actor.structureId ?? -1) : undefined;
  const c = await store.findLedgerContract(db, by, { structureId, closedMonth });
  if (!c) throw errors.notFound('contract', 'ref' in by ? by.ref : undefined);
  return ledgerContract(c, closedMonth);
}

/**
 * Posts one entry through the ledger's write function, once per idempotency key: the key is
 * taken by the insert itself, so a replay (or a concurrent twin) writes nothing and returns
 * the first result.
 */
async function postOnce(
  ctx: AppContext,
  actor: Actor,
  contractRef: string,
  action: 'hours.post' | 'hours.correct',
  prepare: (trx: Knex) => Promise<Omit<NewEntry, 'at' | 'postedBy'>>,
  details: (e: Omit<NewEntry, 'at' | 'postedBy'>) => Record<string, unknown>,
): Promise<PostResult> {
  const at = nowIso(ctx);
  let entry: Omit<NewEntry, 'at' | 'postedBy'> | undefined;
  const written = await writeTransaction(
    ctx.db,
    async (trx) => {
      entry = await prepare(trx);
      const e: NewEntry = { ...entry, postedBy: actor.id, at };
      let total = 0;
      const a = await appendEntries(trx, [e], async ({ keyedIds, changes }) => {
        total = changes[0].newTotal;
        await audit(trx, {
          at,
          accountId: actor.id,
          action,
          entity: 'hour_entry',
          ref: String(keyedIds[0]),
          details: details(e),
        });
      });
      return a && { id: a.keyedIds[0], total };
    },
    { lane: contractRef },
  );
  if (!entry) throw errors.internal();
  if (!written) {
    const r = await replay(ctx.db, entry.idempotencyKey ?? '', entry.requestHash ?? '', entry.contract.ref);
    if (!r) throw errors.internal();
    return r;
  }
  const view = entryView({ id: written.id, ...entryRowOf({ ...entry, postedBy: actor.id, at }) }, entry.contract.ref);
  return { entry: view, monthTotalHours: toHours(written.total), replayed: false };
}

export async function postHours(
  ctx: AppContext,
  actor: Actor,
  input: { contractRef: string; month: string; centihours: number; idempotencyKey: string },
): Promise<PostResult> {
  assertWriter(actor);
  const idempotencyKey = storedKey(actor, input.idempotencyKey);
  const hash = requestHash(['entry', input.contractRef, input.month, input.centihours]);
  return postOnce(
    ctx,
    actor,
    input.contractRef,
    'hours.post',
    async (trx) => ({
      contract: await writableContract(trx, actor, { ref: input.contractRef }, input.month),
      month: input.month,
      centihours: input.centihours,
      kind: 'entry',
      idempotencyKey,
      requestHash: hash,
    }),
    (e) => ({ contract: e.contract.ref, month: input.month, centihours: input.centihours }),
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
  const key = storedKey(actor, input.idempotencyKey);
  const hash = requestHash(['correction', input.entryId, input.correctedCentihours, input.reason]);
  // A replay answers first: the line may be worth the target by now, which is no change.
  const previous = await replay(ctx.db, key, hash, contract.ref);
  if (previous) return previous;
  return postOnce(
    ctx,
    actor,
    contract.ref,
    'hours.correct',
    async (trx) => {
      // The month is locked before the line is read: two corrections of one line queue.
      await store.lockMonth(trx, contract.id, target.month);
      const delta = input.correctedCentihours - (await store.lineValue(trx, target));
      if (delta === 0) throw errors.noChange();
      return {
        contract,
        month: target.month,
        centihours: delta,
        kind: 'correction',
        correctsId: target.id,
        reason: input.reason,
        idempotencyKey: key,
        requestHash: hash,
      };
    },
    (e) => ({ corrects: target.id, centihours: e.centihours, reason: input.reason }),
  );
}

export async function contractLedger(ctx: AppContext, actor: Actor, contractRef: string) {
  const contract = await getVisibleContract(ctx.db, actor, contractRef);
  const id = Number(contract.id);
  const [entries, months] = await Promise.all([
    store.entriesOfContract(ctx.db, id),
    store.monthTotalsOfContract(ctx.db, id),
  ]);
  const total = months.reduce((s, m) => s + m.centihours, 0);
  return {
    contractRef,
    totalHours: toHours(total),
    months: months.map((m) => ({ month: m.month, hours: toHours(m.centihours) })),
    entries: entries.map((e) => entryView(e, contractRef)),
  };
}
