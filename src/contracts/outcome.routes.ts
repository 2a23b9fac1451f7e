import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { EXIT_OUTCOMES } from './outcome.js';
import { setExitOutcome } from './outcome.service.js';

const body = z.object({
  outcome: z
    .enum(EXIT_OUTCOMES, { error: `Sortie inconnue (valeurs : ${EXIT_OUTCOMES.join(', ')}, ou null pour l’effacer).` })
    .nullable(),
});

export function outcomeRoutes(ctx: AppContext): Router {
  const r = Router();
  // PATCH the exit outcome only (CDI, CDD_6M_PLUS, FORMATION, AUCUNE or null).
  r.patch('/contracts/:ref/outcome', async (req, res) => {
    const actor = requireActor(req);
    const { outcome } = parse(body, req.body ?? {});
    res.json(await setExitOutcome(ctx, actor, req.params.ref, outcome));
  });
  return r;
}
