import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { contractTypeField, dateField, departementField, modeField, refField, siretField } from '../core/fields.js';
import { pageQuery, pageRequest, searchField } from '../core/paging.js';
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

const STATUSES = ['active', 'ended'] as const;
const listQuery = pageQuery.extend({
  q: searchField,
  marche: z.string().trim().min(1).max(64).optional(),
  participant: z.string().trim().min(1).max(64).optional(),
  cite: z.string().trim().min(1).max(64).optional(),
  status: z
    .enum(STATUSES, { error: 'Statut inconnu : « active » (en cours ou à venir) ou « ended » (terminé).' })
    .optional(),
});

export function contractsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/contracts', async (req, res) => {
    const { limit, cursor, ...filter } = parse(listQuery, req.query);
    res.json(await service.listContracts(ctx, requireActor(req), filter, pageRequest({ limit, cursor })));
  });
  r.get('/contracts/:ref', async (req, res) => {
    res.json(await service.getContract(ctx, requireActor(req), req.params.ref));
  });
  r.post('/contracts', async (req, res) => {
    const actor = requireActor(req);
    res.status(201).json(await service.createContract(ctx, actor, parse(newContract, req.body)));
  });
  return r;
}
