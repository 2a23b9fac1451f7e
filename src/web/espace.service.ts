import type { AppContext } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { findStructureById } from '../structures/structures.store.js';
import { marchesWithRealised } from './espace.store.js';
import { progress } from '../reports/progress.service.js';
import { toNum } from '../db/rows.js';

// The figures of "Mon espace": the public programme totals for everyone, plus what the role
// may see, always through the policy's scopes. Aggregates only: the page
// never shows a name or a birth date.

export interface ScopedMarche {
  ref: string;
  title: string;
  cite: string;
  requiredCentihours: number;
  realisedCentihours: number;
}

async function marchesInScope(ctx: AppContext, actor: Actor): Promise<ScopedMarche[]> {
  const rows = await marchesWithRealised(ctx.db, actor);
  return rows.map((r) => ({
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
  if (actor.role === 'facilitator' && actor.structureId) {
    const s = await findStructureById(ctx.db, actor.structureId);
    structure = s ? { code: s.code, name: s.name } : null;
  }
  return { progress: p, departement, marches, structure };
}
