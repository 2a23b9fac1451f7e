import type { AppContext } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { scopeMarches } from '../accounts/policy.js';
import { progress } from '../reports/progress.service.js';
import { toNum } from '../db/rows.js';

// The figures of "Mon espace": the public programme totals for everyone, plus what the role
// may see (DESIGN.md section 2), always through the policy's scopes. Aggregates only: the page
// never shows a name or a birth date.

export interface ScopedMarche {
  ref: string;
  title: string;
  cite: string;
  requiredCentihours: number;
  realisedCentihours: number;
}

async function marchesInScope(ctx: AppContext, actor: Actor): Promise<ScopedMarche[]> {
  const realised = ctx
    .db('contracts as c')
    .join('contract_months as cm', 'cm.contract_id', 'c.id')
    .groupBy('c.marche_id')
    .select('c.marche_id')
    .sum({ centihours: 'cm.centihours' })
    .as('r');
  const q = ctx
    .db('marches as m')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .leftJoin(realised, 'r.marche_id', 'm.id')
    .select('m.ref', 'm.title', 'ci.name as cite', 'm.required_centihours', 'r.centihours')
    .orderBy('m.ref');
  const rows = await scopeMarches(ctx.db, q, actor);
  return rows.map((r: any) => ({
    ref: r.ref,
    title: r.title,
    cite: r.cite,
    requiredCentihours: toNum(r.required_centihours),
    realisedCentihours: toNum(r.centihours),
  }));
}

export async function espaceFigures(ctx: AppContext, actor: Actor) {
  const p = await progress(ctx, 'erbm', {});
  const departement =
    actor.role === 'departement' ? (p.byDepartement.find((d) => d.code === actor.departementCode) ?? null) : null;
  const marches = actor.role === 'departement' ? [] : await marchesInScope(ctx, actor);
  let structure: { code: string; name: string } | null = null;
  if (actor.role === 'facilitator')
    structure =
      (await ctx
        .db('structures')
        .where({ id: actor.structureId ?? -1 })
        .first('code', 'name')) ?? null;
  return { progress: p, departement, marches, structure };
}
