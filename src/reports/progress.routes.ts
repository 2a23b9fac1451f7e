import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { parse } from '../core/validate.js';
import { monthField } from '../core/fields.js';
import { progress } from './progress.service.js';

const query = z.object({
  programme: z.string().trim().min(1).default('erbm'),
  from: monthField.optional(),
  to: monthField.optional(),
});

export function progressRoutes(ctx: AppContext): Router {
  const r = Router();
  // Public: programme-level totals are for anyone (docs/accounts.md).
  r.get('/progress', async (req, res) => {
    const q = parse(query, req.query);
    res.json(await progress(ctx, q.programme, { from: q.from, to: q.to }));
  });
  return r;
}
