import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { dateField, eurosField, hoursField, refField, siretField } from '../core/fields.js';
import * as service from './marches.service.js';

export const newMarche = z.object({
  ref: refField,
  citeCode: z.string().trim().min(1, 'Cité obligatoire.'),
  title: z.string().trim().min(1).max(300),
  contractorSiret: siretField,
  contractorName: z.string().trim().min(1).max(200).nullish(),
  amountEur: eurosField,
  requiredHours: hoursField(),
  startDate: dateField,
  endDate: dateField,
});

export function marchesRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/marches', async (req, res) => {
    const q = parse(z.object({ cite: z.string().optional() }), req.query);
    res.json({ items: await service.listMarches(ctx, requireActor(req), q) });
  });
  r.get('/marches/:ref', async (req, res) => {
    res.json(await service.getMarche(ctx, requireActor(req), req.params.ref));
  });
  r.post('/marches', async (req, res) => {
    const actor = requireActor(req);
    const b = parse(newMarche, req.body);
    const out = await service.createMarche(ctx, actor, {
      ...b,
      amountCents: b.amountEur,
      requiredCentihours: b.requiredHours,
    });
    res.status(201).json(out);
  });
  return r;
}
