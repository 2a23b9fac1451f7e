import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { contractTypeField, dateField, departementField, modeField, refField, siretField } from '../core/fields.js';
import { parseDeclaredCategories } from './categories.js';
import * as service from './contracts.service.js';

const categoriesField = z
  .union([z.array(z.string()), z.string()])
  .default([])
  .transform((v, ctx) => {
    const r = parseDeclaredCategories(v);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.categories;
  });

export const newContract = z.object({
  ref: refField,
  participantRef: refField,
  marcheRef: refField,
  employerSiret: siretField,
  contractType: contractTypeField,
  mode: modeField,
  startDate: dateField,
  endDate: dateField,
  categories: categoriesField,
  rsaDepartement: departementField.nullish(),
});

export function contractsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/contracts', async (req, res) => {
    const q = parse(z.object({ marche: z.string().optional(), participant: z.string().optional() }), req.query);
    res.json({ items: await service.listContracts(ctx, requireActor(req), q) });
  });
  r.get('/contracts/:ref', async (req, res) => {
    res.json(service.contractView(await service.getVisibleContract(ctx.db, requireActor(req), req.params.ref)));
  });
  r.post('/contracts', async (req, res) => {
    const actor = requireActor(req);
    res.status(201).json(await service.createContract(ctx, actor, parse(newContract, req.body)));
  });
  return r;
}
