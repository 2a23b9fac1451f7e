import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertAdmin } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { errors } from '../core/errors.js';
import { formatMonthFr } from '../lib/dates.js';
import { findStructureByCode, findStructureById } from '../structures/structures.store.js';
import * as store from './closed-months.store.js';
import { findClosedMonths } from './closed-months.store.js';

async function structureFor(ctx: AppContext, actor: Actor, code?: string) {
  if (actor.role === 'facilitator') {
    const own = await findStructureById(ctx.db, actor.structureId ?? -1);
    if (!own || (code && code !== own.code)) throw errors.forbidden('les mois d’une autre structure');
    return own;
  }
  assertAdmin(actor);
  if (!code) throw errors.validation([{ path: 'structure', message: 'Structure obligatoire.' }]);
  const s = await findStructureByCode(ctx.db, code);
  if (!s) throw errors.notFound('structure', code);
  return s;
}

export async function listClosedMonths(ctx: AppContext, actor: Actor) {
  if (actor.role === 'facilitator') return findClosedMonths(ctx.db, actor.structureId);
  assertAdmin(actor);
  return findClosedMonths(ctx.db);
}

/** A facilitator closes a month of its structure: hours of that month are then refused. */
export async function closeMonth(ctx: AppContext, actor: Actor, input: { structure?: string; month: string }) {
  const s = await structureFor(ctx, actor, input.structure);
  const at = nowIso(ctx);
  return ctx.db.transaction(async (trx) => {
    if (await store.isClosed(trx, s.id, input.month))
      throw errors.monthAlreadyClosed(formatMonthFr(input.month), s.name);
    await store.insertClosedMonth(trx, { structure_id: s.id, month: input.month, closed_by: actor.id, closed_at: at });
    await audit(trx, {
      at,
      accountId: actor.id,
      action: 'month.close',
      entity: 'structure',
      ref: s.code,
      details: { month: input.month },
    });
    return { structure: s.code, month: input.month, closedAt: at };
  });
}

/** Only an admin reopens a month; the reopening and its reason are logged. */
export async function reopenMonth(
  ctx: AppContext,
  actor: Actor,
  input: { structure: string; month: string; reason: string },
) {
  assertAdmin(actor);
  const s = await structureFor(ctx, actor, input.structure);
  const at = nowIso(ctx);
  return ctx.db.transaction(async (trx) => {
    const n = await store.deleteClosedMonth(trx, s.id, input.month);
    if (!n) throw errors.monthNotClosed(formatMonthFr(input.month), s.name);
    await audit(trx, {
      at,
      accountId: actor.id,
      action: 'month.reopen',
      entity: 'structure',
      ref: s.code,
      details: { month: input.month, reason: input.reason },
    });
    return { structure: s.code, month: input.month, reopenedAt: at };
  });
}
