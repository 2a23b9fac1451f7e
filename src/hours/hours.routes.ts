import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { hoursField, monthField } from '../core/fields.js';
import * as hours from './hours.service.js';
import * as closed from './closed-months.service.js';
import { closeMonthBody, closedMonthParams, reopenBody } from './closed-months.schemas.js';

const idempotencyKey = z
  .string({
    error: 'En-tête Idempotency-Key obligatoire : une clé unique par saisie, pour ne jamais compter deux fois.',
  })
  .trim()
  .min(1, 'En-tête Idempotency-Key obligatoire.')
  .max(150, 'Idempotency-Key trop longue (150 caractères au plus).');

const newEntry = z.object({ month: monthField, hours: hoursField() });
const correction = z.object({
  hours: hoursField(),
  reason: z
    .string({ error: 'Motif de la correction obligatoire.' })
    .trim()
    .min(3, 'Motif de la correction obligatoire.')
    .max(500),
});

export function hoursRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/contracts/:ref/hours', async (req, res) => {
    res.json(await hours.contractLedger(ctx, requireActor(req), req.params.ref));
  });
  r.post('/contracts/:ref/hours', async (req, res) => {
    const actor = requireActor(req);
    const key = parse(idempotencyKey, req.get('idempotency-key'));
    const b = parse(newEntry, req.body);
    const out = await hours.postHours(ctx, actor, {
      contractRef: req.params.ref,
      month: b.month,
      centihours: b.hours,
      idempotencyKey: key,
    });
    res.status(out.replayed ? 200 : 201).json(out);
  });
  r.post('/hour-entries/:id/corrections', async (req, res) => {
    const actor = requireActor(req);
    const key = parse(idempotencyKey, req.get('idempotency-key'));
    const { id } = parse(z.object({ id: z.coerce.number().int().positive() }), req.params);
    const b = parse(correction, req.body);
    const out = await hours.correctEntry(ctx, actor, {
      entryId: id,
      correctedCentihours: b.hours,
      reason: b.reason,
      idempotencyKey: key,
    });
    res.status(out.replayed ? 200 : 201).json(out);
  });

  r.get('/closed-months', async (req, res) => {
    res.json({ items: await closed.listClosedMonths(ctx, requireActor(req)) });
  });
  r.post('/closed-months', async (req, res) => {
    const actor = requireActor(req);
    const b = parse(closeMonthBody, req.body);
    res.status(201).json(await closed.closeMonth(ctx, actor, b));
  });
  r.post('/closed-months/:structure/:month/reopen', async (req, res) => {
    const actor = requireActor(req);
    const p = parse(closedMonthParams, req.params);
    const b = parse(reopenBody, req.body);
    res.json(await closed.reopenMonth(ctx, actor, { ...p, reason: b.reason }));
  });
  return r;
}
