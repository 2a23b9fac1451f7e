import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { accountPatchSchema, newAccountSchema, passwordField, tokenLabelSchema } from './accounts.schemas.js';
import * as service from './accounts.service.js';

const idParam = z.object({
  id: z.coerce.number({ error: 'Identifiant invalide.' }).int().positive('Identifiant invalide.'),
});

// Accounts and API tokens: admins only (the service checks).
export function accountsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/accounts', async (req, res) => {
    res.json({ items: await service.listAccounts(ctx, requireActor(req)) });
  });
  r.post('/accounts', async (req, res) => {
    const actor = requireActor(req);
    res.status(201).json(await service.createAccount(ctx, actor, parse(newAccountSchema, req.body ?? {})));
  });
  r.get('/accounts/:id', async (req, res) => {
    const actor = requireActor(req);
    res.json(await service.getAccount(ctx, actor, String(parse(idParam, req.params).id)));
  });
  r.patch('/accounts/:id', async (req, res) => {
    const actor = requireActor(req);
    const { id } = parse(idParam, req.params);
    res.json(await service.updateAccount(ctx, actor, String(id), parse(accountPatchSchema, req.body ?? {})));
  });
  r.post('/accounts/:id/disable', async (req, res) => {
    const actor = requireActor(req);
    res.json(await service.disableAccount(ctx, actor, String(parse(idParam, req.params).id)));
  });
  r.post('/accounts/:id/password', async (req, res) => {
    const actor = requireActor(req);
    const { id } = parse(idParam, req.params);
    const { password } = parse(z.object({ password: passwordField }), req.body ?? {});
    await service.setPassword(ctx, actor, String(id), password);
    res.status(204).end();
  });
  r.post('/accounts/:id/tokens', async (req, res) => {
    const actor = requireActor(req);
    const { id } = parse(idParam, req.params);
    const { label } = parse(tokenLabelSchema, req.body ?? {});
    res.status(201).json(await service.issueToken(ctx, actor, String(id), label));
  });
  r.post('/tokens/:id/revoke', async (req, res) => {
    const actor = requireActor(req);
    res.json(await service.revokeToken(ctx, actor, parse(idParam, req.params).id));
  });
  return r;
}
