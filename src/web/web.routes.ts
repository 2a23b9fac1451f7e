import express, { Router, type Request, type Response } from 'express';
import cookieParser from 'cookie-parser';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { LOCKED_MESSAGE, login } from './login.service.js';
import { renderLogin } from './login.page.js';
import { renderEspace } from './espace.page.js';
import { espaceFigures } from './espace.service.js';
import { ABSOLUTE_HOURS, SESSION_COOKIE, endSession, findSession, randomToken, sameToken } from './sessions.js';

// The browser side: login, logout and "Mon espace". Sessions live in an httpOnly SameSite=Lax
// cookie; every form carries a CSRF token (double-submit cookie before login, the session's
// own token after). Pages are French, server-rendered, without script.
const LOGIN_CSRF_COOKIE = 'ihl_login_csrf';
const loginBody = z.object({
  email: z.string().max(200).default(''),
  password: z.string().max(200).default(''),
  _csrf: z.string().max(100).optional(),
});

const cookieOptions = (req: Request) => ({ httpOnly: true, sameSite: 'lax' as const, secure: req.secure, path: '/' });

function showLogin(
  req: Request,
  res: Response,
  status: number,
  o: { email?: string; error?: string; info?: string } = {},
) {
  const csrf = randomToken();
  res.cookie(LOGIN_CSRF_COOKIE, csrf, { ...cookieOptions(req), maxAge: 60 * 60_000 });
  res
    .status(status)
    .type('html')
    .set('Cache-Control', 'no-store')
    .send(renderLogin({ csrf, ...o }));
}

export function webRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use(['/login', '/logout', '/espace'], cookieParser());
  const form = express.urlencoded({ extended: false, limit: '10kb' });
  // Per address, on top of the per-account lockout: slows down guessing across many accounts.
  const loginLimiter = rateLimit({
    windowMs: 15 * 60_000,
    limit: ctx.config.LOGIN_RATE_LIMIT,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (req, res) =>
      showLogin(req, res, 429, {
        error: 'Trop de tentatives de connexion depuis cette adresse : réessayez dans 15 minutes.',
      }),
  });

  r.get('/', (_req, res) => res.redirect(303, '/espace'));
  r.get('/login', async (req, res) => {
    if (await findSession(ctx, req.cookies?.[SESSION_COOKIE])) return res.redirect(303, '/espace');
    const info =
      req.query.fin === 'deconnexion'
        ? 'Vous êtes déconnecté.'
        : req.query.fin === 'expiree'
          ? 'Votre session a expiré : reconnectez-vous.'
          : undefined;
    showLogin(req, res, 200, { info });
  });
  r.post('/login', loginLimiter, form, async (req, res) => {
    const b = loginBody.safeParse(req.body ?? {});
    const body = b.success ? b.data : { email: '', password: '', _csrf: undefined };
    if (!sameToken(req.cookies?.[LOGIN_CSRF_COOKIE], body._csrf))
      return showLogin(req, res, 403, {
        email: body.email,
        error: 'Le formulaire a expiré ou ne vient pas de ce site : veuillez le soumettre à nouveau.',
      });
    const out = await login(ctx, body.email, body.password);
    if (!out.ok) {
      const error = out.reason === 'locked' ? LOCKED_MESSAGE : 'Adresse électronique ou mot de passe incorrect.';
      return showLogin(req, res, out.reason === 'locked' ? 423 : 401, { email: body.email, error });
    }
    res.clearCookie(LOGIN_CSRF_COOKIE, cookieOptions(req));
    res.cookie(SESSION_COOKIE, out.cookie, { ...cookieOptions(req), maxAge: ABSOLUTE_HOURS * 3600_000 });
    res.redirect(303, '/espace');
  });
  r.post('/logout', form, async (req, res) => {
    const s = await findSession(ctx, req.cookies?.[SESSION_COOKIE]);
    if (!s) return res.redirect(303, '/login');
    if (!sameToken(s.csrf, req.body?._csrf))
      return res
        .status(403)
        .type('html')
        .send(
          '<!doctype html><html lang="fr"><meta charset="utf-8"><title>Refusé</title><p>Formulaire invalide (jeton CSRF). <a href="/espace">Retour</a></p></html>',
        );
    await endSession(ctx, s.id);
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    res.redirect(303, '/login?fin=deconnexion');
  });
  r.get('/espace', async (req, res) => {
    const cookie = req.cookies?.[SESSION_COOKIE];
    const s = await findSession(ctx, cookie);
    if (!s) return res.redirect(303, cookie ? '/login?fin=expiree' : '/login');
    res
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(renderEspace(s.actor, await espaceFigures(ctx, s.actor), s.csrf));
  });
  return r;
}
