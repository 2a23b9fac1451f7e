import cookieParser from 'cookie-parser';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ROLE_LABELS, type Actor, type Role } from '../accounts/actor.js';
import type { AppContext } from '../context.js';
import { errors } from '../core/errors.js';
import { SESSION_COOKIE, findSession, sameToken, type Session } from './sessions.js';
import { structureName } from './web.store.js';

// Who is browsing: the session behind the cookie, loaded once per request, and what the
// header shows (name, role, scope, the links of the role). Pages ask for a role with `page()`.

export const DEPARTEMENT_NAMES: Record<string, string> = { '59': 'Nord', '62': 'Pas-de-Calais' };

export interface NavLink {
  href: string;
  label: string;
  current?: boolean;
}

const LINKS: Array<NavLink & { roles: Role[] }> = [
  { href: '/espace', label: 'Accueil', roles: ['admin', 'facilitator', 'contractor', 'departement'] },
  { href: '/saisie', label: 'Saisie des heures', roles: ['admin', 'facilitator'] },
  { href: '/imports', label: 'Imports', roles: ['admin', 'facilitator'] },
  { href: '/participants', label: 'Participants', roles: ['admin', 'facilitator'] },
  { href: '/contrats', label: 'Contrats', roles: ['admin', 'facilitator'] },
  { href: '/marches', label: 'Marchés', roles: ['admin', 'facilitator', 'contractor'] },
  { href: '/entreprises', label: 'Entreprises', roles: ['admin', 'facilitator'] },
  { href: '/attestations', label: 'Attestations', roles: ['admin', 'facilitator', 'contractor', 'departement'] },
  { href: '/rapports', label: 'Rapports', roles: ['admin', 'facilitator', 'departement'] },
  { href: '/rapports/rsa', label: 'Rapport RSA', roles: ['admin', 'facilitator', 'departement'] },
  { href: '/admin/comptes', label: 'Comptes', roles: ['admin'] },
  { href: '/admin/mois', label: 'Mois clos', roles: ['admin'] },
  { href: '/admin/journal', label: 'Journal', roles: ['admin'] },
];

export function navFor(role: Role, path: string): NavLink[] {
  const links = LINKS.filter((l) => l.roles.includes(role));
  // The longest link that prefixes the path is the current one (/rapports/rsa, not /rapports).
  const current = links
    .filter((l) => path === l.href || path.startsWith(`${l.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return links.map((l) => ({ href: l.href, label: l.label, current: l === current }));
}

async function scopeLabel(ctx: AppContext, a: Actor): Promise<string> {
  if (a.role === 'facilitator') return (a.structureId && (await structureName(ctx.db, a.structureId))) || '';
  if (a.role === 'contractor') return a.contractorSiret ? `SIRET ${a.contractorSiret}` : `SIREN ${a.contractorSiren}`;
  if (a.role === 'departement')
    return `${DEPARTEMENT_NAMES[a.departementCode ?? ''] ?? ''} (${a.departementCode ?? ''})`;
  return 'Tout le programme';
}

declare module 'express-serve-static-core' {
  interface Request {
    session?: Session;
  }
}

/** Loads the session (if any) and the header's view-model into res.locals. */
export function loadSession(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    const s = await findSession(ctx, req.cookies?.[SESSION_COOKIE]);
    res.locals.path = req.path;
    if (s) {
      req.session = s;
      res.locals.user = {
        name: s.actor.name,
        role: s.actor.role,
        roleLabel: ROLE_LABELS[s.actor.role],
        scope: await scopeLabel(ctx, s.actor),
      };
      res.locals.nav = navFor(s.actor.role, req.path);
      res.locals.csrf = s.csrf;
    }
    next();
  };
}

/** The signed-in actor of a page, of one of `roles` (all when none): else login or 403. */
export function actorOf(req: Request, ...roles: Role[]): Actor {
  if (!req.session) throw errors.unauthenticated();
  if (roles.length && !roles.includes(req.session.actor.role)) throw errors.forbidden('cette page');
  return req.session.actor;
}

/** Refuses a form whose CSRF token is not the session's. */
export function assertCsrf(req: Request, token: unknown): void {
  if (!req.session || !sameToken(req.session.csrf, token))
    throw errors.invalidInput('Le formulaire a expiré ou ne vient pas de ce site : rechargez la page et recommencez.');
}

/** Form posts: the session's CSRF token in the `_csrf` field (after the urlencoded parser). */
export const csrfCheck: RequestHandler = (req: Request, _res: Response, next: NextFunction) => {
  assertCsrf(req, req.body?._csrf);
  next();
};

/** For page routers of other features (public pages): the cookie parser and the session loader. */
export function withSession(ctx: AppContext): RequestHandler[] {
  return [cookieParser(), loadSession(ctx)];
}
