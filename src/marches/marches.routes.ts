import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { dateField, eurosField, hoursField, refField, siretField } from '../core/fields.js';
import { pageQuery, pageRequest, searchField } from '../core/paging.js';
import * as service from './marches.service.js';

const fields = {
  citeCode: z.string().trim().min(1, 'Cité obligatoire.'),
  title: z.string().trim().min(1).max(300),
  contractorSiret: siretField,
  contractorName: z.string().trim().min(1).max(200).nullish(),
  amountEur: eurosField,
  requiredHours: hoursField(),
  startDate: dateField,
  endDate: dateField,
};
export const newMarche = z.object({ ref: refField, ...fields });
// An edit names only what changes; the ref is the marché's identity and stays.
export const marchePatch = z.strictObject(fields).partial();

const listQuery = pageQuery.extend({
  q: searchField,
  cite: z.string().trim().min(1).max(64).optional(),
  contractor: z.string().trim().min(1).max(14).optional(),
});

export function marchesRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/marches', async (req, res) => {
    const q = parse(listQuery, req.query);
    const filter = { q: q.q, cite: q.cite, contractor: q.contractor };
    res.json(await service.listMarches(ctx, requireActor(req), filter, pageRequest(q)));
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
  r.patch('/marches/:ref', async (req, res) => {
    const actor = requireActor(req);
    const { amountEur, requiredHours, ...b } = parse(marchePatch, req.body ?? {});
    const out = await service.updateMarche(ctx, actor, req.params.ref, {
      ...b,
      amountCents: amountEur,
      requiredCentihours: requiredHours,
    });
    res.json(out);
  });
  return r;
}
