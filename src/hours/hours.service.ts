import type { Knex } from 'knex';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertCanWriteCite, assertWriter } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { AppError, errors } from '../core/errors.js';
import { isUniqueViolation } from '../db/rows.js';
import { toHours } from '../lib/hours.js';
import { getVisibleContract } from '../contracts/contracts.service.js';
import { appendEntry, requestHash } from './ledger.service.js';
import * as store from './ledger.store.js';

export const entryView = (r: Record<string, any>, contractRef: string) => ({
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

async function replay(db: Knex, key: string, hash: string, contractRef: string): Promise<PostResult | null> {
  const existing = await store.findEntryByKey(db, key);
  if (!existing) return null;
  if (existing.request_hash !== hash) throw errors.idempotencyKeyReused();
  const total = await store.monthTotal(db, existing.contract_id, existing.month);
  return { entry: entryView(existing, contractRef), monthTotalHours: toHours(total), replayed: true };
}

/**
 * Runs a write that posts one entry, once per idempotency key: a replay returns the first
 * result; two concurrent requests with one key meet at the unique index and post once.
 */
async function once(
  ctx: AppContext,
  key: string,
  hash: string,
  contractRef: string,
  write: (trx: Knex) => Promise<PostResult>,
) {
  const previous = await replay(ctx.db, key, hash, contractRef);
  if (previous) return previous;
  try {
    return await ctx.db.transaction(write);
  } catch (e) {
    if (isUniqueViolation(e)) {
      const r = await replay(ctx.db, key, hash, contractRef);
      if (r) return r;
    }
    throw e;
  }
}

export async function postHours(
  ctx: AppContext,
  actor: Actor,
  input: { contractRef: string; month: string; centihours: number; idempotencyKey: string },
): Promise<PostResult> {
  assertWriter(actor);
  const key = storedKey(actor, input.idempotencyKey);
  const hash = requestHash(['entry', input.contractRef, input.month, input.centihours]);
  return once(ctx, key, hash, input.contractRef, async (trx) => {
    const contract = await getVisibleContract(trx, actor, input.contractRef);
    await assertCanWriteCite(trx, actor, contract.cite_id);
    const at = nowIso(ctx);
    const { id, monthTotal } = await appendEntry(trx, {
      contract,
      month: input.month,
      centihours: input.centihours,
      kind: 'entry',
      idempotencyKey: key,
      requestHash: hash,
      postedBy: actor.id,
      at,
    });
    await audit(trx, {
      at,
      accountId: actor.id,
      action: 'hours.post',
      entity: 'hour_entry',
      ref: String(id),
      details: { contract: contract.ref, month: input.month, centihours: input.centihours },
    });
    return {
      entry: entryView(await store.findEntryById(trx, id), contract.ref),
      monthTotalHours: toHours(monthTotal),
      replayed: false,
    };
  });
}

/** A correction states what an entry should have been; the ledger records the difference. */
export async function correctEntry(
  ctx: AppContext,
  actor: Actor,
  input: { entryId: number; correctedCentihours: number; reason: string; idempotencyKey: string },
): Promise<PostResult> {
  assertWriter(actor);
  const target = await store.findEntryById(ctx.db, input.entryId);
  if (!target) throw errors.notFound('entry', input.entryId);
  const contractRow = await ctx.db('contracts').where({ id: target.contract_id }).first('ref');
  const key = storedKey(actor, input.idempotencyKey);
  const hash = requestHash(['correction', input.entryId, input.correctedCentihours, input.reason]);
  return once(ctx, key, hash, contractRow.ref, async (trx) => {
    // An entry of a contract out of the caller's scope does not exist for it: the 404 names the
    // entry it asked for, never the other structure's contract.
    const contract = await getVisibleContract(trx, actor, contractRow.ref).catch((e: unknown) => {
      throw e instanceof AppError && e.code === 'not_found' ? errors.notFound('entry', input.entryId) : e;
    });
    await assertCanWriteCite(trx, actor, contract.cite_id);
    // Corrections always point at the original entry, so its corrected value is one sum.
    const rootId = target.kind === 'correction' && target.corrects_id ? target.corrects_id : target.id;
    const delta = input.correctedCentihours - (await store.correctedValueOf(trx, rootId));
    if (delta === 0) throw errors.noChange();
    const at = nowIso(ctx);
    const { id, monthTotal } = await appendEntry(trx, {
      contract,
      month: target.month,
      centihours: delta,
      kind: 'correction',
      correctsId: rootId,
      reason: input.reason,
      idempotencyKey: key,
      requestHash: hash,
      postedBy: actor.id,
      at,
    });
    await audit(trx, {
      at,
      accountId: actor.id,
      action: 'hours.correct',
      entity: 'hour_entry',
      ref: String(id),
      details: { corrects: rootId, centihours: delta, reason: input.reason },
    });
    return {
      entry: entryView(await store.findEntryById(trx, id), contract.ref),
      monthTotalHours: toHours(monthTotal),
      replayed: false,
    };
  });
}

export async function contractLedger(ctx: AppContext, actor: Actor, contractRef: string) {
  const contract = await getVisibleContract(ctx.db, actor, contractRef);
  const [entries, months] = await Promise.all([
    store.entriesOfContract(ctx.db, contract.id),
    store.monthTotalsOfContract(ctx.db, contract.id),
  ]);
  const total = months.reduce((s: number, m: any) => s + Number(m.centihours), 0);
  return {
    contractRef,
    totalHours: toHours(total),
    months: months.map((m: any) => ({ month: m.month, hours: toHours(Number(m.centihours)) })),
    entries: entries.map((e: any) => entryView(e, contractRef)),
  };
}
