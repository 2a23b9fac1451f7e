import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import { actorFromRow, type Actor, type Role } from '../accounts/actor.js';
import { shouldTouch, touchToken } from '../accounts/accounts.store.js';
import { activeToken, noteTokenUse } from '../accounts/token-cache.js';
import { hashToken } from '../accounts/tokens.js';
import { errors } from '../core/errors.js';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

/** Reads `Authorization: Bearer <token>`; sets req.actor when the token is valid. */
export function authenticate(ctx: AppContext): RequestHandler[] {
  // Only failed bearer authentications (401) count, per address: guessing tokens is slowed
  // down, while a client with a good token is never limited by this.
  const failures = rateLimit({
    windowMs: 15 * 60_000,
    limit: ctx.config.AUTH_FAILURE_RATE_LIMIT,
    skip: (req) => !req.get('authorization'),
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(errors.tooManyRequests()),
  });
  return [failures, bearer(ctx)];
}

function bearer(ctx: AppContext): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    if (!header) return next();
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw errors.unauthenticated();
    const hash = hashToken(m[1]);
    const row = await activeToken(ctx.db, hash);
    if (!row) throw errors.unauthenticated();
    const now = nowIso(ctx);
    if (shouldTouch(row.token_last_used_at, now)) {
      noteTokenUse(ctx.db, hash, now); // first: the requests that arrive meanwhile do not write it again
      await touchToken(ctx.db, row.token_id, now);
    }
    req.actor = actorFromRow(row);
    next();
  };
}

/** Requires an authenticated actor, optionally of given roles. */
export function requireActor(req: { actor?: Actor }, ...roles: Role[]): Actor {
  if (!req.actor) throw errors.unauthenticated();
  if (roles.length && !roles.includes(req.actor.role)) throw errors.forbidden();
  return req.actor;
}
