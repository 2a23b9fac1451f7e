import { Router } from 'express';
import type { Actor } from '../accounts/actor.js';
import { listAttestations } from '../attestations/attestations.service.js';
import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { contractorCompliance } from '../reports/compliance.service.js';
import { espaceFigures } from './espace.service.js';
import { actorOf } from './guard.js';
import { sendPage } from './render.js';

// "Mon espace", each role's home: the programme's progress and what the role may see; for a
// contractor, its marchés by urgency and its attestations.

const URGENCY = { late: 0, on_track: 1, completed: 2 } as const;

async function contractorHome(ctx: AppContext, actor: Actor) {
  const id = actor.contractorSiret ?? actor.contractorSiren ?? '';
  try {
    const c = await contractorCompliance(ctx, actor, id);
    c.marches.sort(
      (a, b) =>
        URGENCY[a.status] - URGENCY[b.status] ||
        b.remainingHours - a.remainingHours ||
        a.marche.ref.localeCompare(b.marche.ref),
    );
    return c;
  } catch (e) {
    if (e instanceof AppError && e.kind === 'not_found') return null; // no marché yet
    throw e;
  }
}

export function espaceRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/espace', async (req, res) => {
    const actor = actorOf(req);
    const f = await espaceFigures(ctx, actor);
    const extra =
      actor.role === 'contractor'
        ? {
            contractor: await contractorHome(ctx, actor),
            attestations: await listAttestations(ctx, actor, { kind: 'clause' }),
          }
        : {};
    sendPage(res, 'espace.njk', {
      title: 'Mon espace',
      role: actor.role,
      progress: f.progress,
      departement: f.departement,
      marches: f.marches,
      required: f.marches.reduce((s, m) => s + m.requiredCentihours, 0),
      realised: f.marches.reduce((s, m) => s + m.realisedCentihours, 0),
      ...extra,
    });
  });
  return r;
}
