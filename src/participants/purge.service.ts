import { format, subMonths } from 'date-fns';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import { audit } from '../audit/audit.store.js';
import type { Actor } from '../accounts/actor.js';
import * as store from './participants.store.js';

// Retention of personal data (docs/accounts.md): a participant with no hours since the
// cut-off loses its identity. Names are erased (the participant is then known only by its
// pseudonymous ref) and the birth date keeps only its year (1 January). Nothing else moves:
// categories were frozen on the contracts at their start, hours and rollups are untouched,
// so every total is the same before and after.

export interface PurgePlan {
  cutoffMonth: string;
  refs: string[];
}

/** "5y", "18m" or "5" (years) to a number of months; null when unreadable. */
export function parseAge(s: string): number | null {
  const m = /^(\d{1,3})\s*([ya]|ans?|m|mois)?$/i.exec(s.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return /^m/i.test(m[2] ?? '') ? n : n * 12;
}

/** Participants not yet pseudonymised, whose last hours (or creation, without any hours) are before the cut-off. */
export async function planPurge(ctx: AppContext, olderThanMonths: number): Promise<PurgePlan> {
  // Month arithmetic on the UTC calendar month of "now" (2026-11 minus 5 years is 2021-11).
  const now = ctx.clock();
  const cutoffMonth = format(
    subMonths(new Date(now.getUTCFullYear(), now.getUTCMonth(), 1), olderThanMonths),
    'yyyy-MM',
  );
  const refs = await store.purgeCandidates(ctx.db, cutoffMonth);
  return { cutoffMonth, refs };
}

/** Applies a plan in one transaction, in batches; returns how many were pseudonymised. */
export async function applyPurge(ctx: AppContext, plan: PurgePlan, actor: Actor): Promise<number> {
  const at = nowIso(ctx);
  return ctx.db.transaction(async (trx) => {
    let done = 0;
    for (let i = 0; i < plan.refs.length; i += 500) {
      const batch = plan.refs.slice(i, i + 500);
      const rows = await store.notPseudonymised(trx, batch);
      for (const r of rows) await store.pseudonymise(trx, r.id, `${String(r.birth_date).slice(0, 4)}-01-01`, at);
      done += rows.length;
    }
    await audit(trx, {
      at,
      accountId: actor.id,
      action: 'participant.purge',
      entity: 'participant',
      details: { cutoffMonth: plan.cutoffMonth, count: done },
    });
    return done;
  });
}
