import { format, subMonths } from 'date-fns';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import { audit } from '../audit/audit.store.js';

// Retention of personal data (DESIGN.md section 2): a participant with no hours since the
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
  const recent = ctx
    .db('contracts as c')
    .join('contract_months as cm', 'cm.contract_id', 'c.id')
    .where('cm.month', '>=', cutoffMonth)
    .where('cm.centihours', '<>', 0)
    .select('c.participant_id');
  const refs = await ctx
    .db('participants as p')
    .whereNull('p.pseudonymised_at')
    .whereNotIn('p.id', recent)
    // Without any hours, the participant's own creation date stands for its last activity.
    .where((w) =>
      w
        .whereIn(
          'p.id',
          ctx.db('contracts as c').join('contract_months as cm', 'cm.contract_id', 'c.id').select('c.participant_id'),
        )
        .orWhere('p.created_at', '<', `${cutoffMonth}-01`),
    )
    .orderBy('p.ref')
    .pluck('p.ref');
  return { cutoffMonth, refs };
}

/** Applies a plan in one transaction, in batches; returns how many were pseudonymised. */
export async function applyPurge(ctx: AppContext, plan: PurgePlan): Promise<number> {
  const at = nowIso(ctx);
  return ctx.db.transaction(async (trx) => {
    let done = 0;
    for (let i = 0; i < plan.refs.length; i += 500) {
      const batch = plan.refs.slice(i, i + 500);
      const rows = await trx('participants')
        .whereIn('ref', batch)
        .whereNull('pseudonymised_at')
        .select('id', 'birth_date');
      for (const r of rows) {
        await trx('participants')
          .where({ id: r.id })
          .update({
            first_name: null,
            last_name: null,
            birth_date: `${String(r.birth_date).slice(0, 4)}-01-01`,
            pseudonymised_at: at,
          });
      }
      done += rows.length;
    }
    await audit(trx, {
      at,
      accountId: null,
      action: 'participant.purge',
      entity: 'participant',
      details: { cutoffMonth: plan.cutoffMonth, count: done },
    });
    return done;
  });
}
