import express, { Router, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { LOCKED_MESSAGE, login } from './login.service.js';
import { sendPage } from './render.js';
import { ABSOLUTE_HOURS, SESSION_COOKIE, endSession, randomToken, sameToken } from './sessions.js';

// Login and logout. Sessions live in an httpOnly SameSite=Lax cookie; the login form carries
// a double-submit CSRF token (there is no session yet), every later form the session's own.
const LOGIN_CSRF_COOKIE = 'ihl_login_csrf';
const loginBody = z.object({
  email: z.string().max(200).default(''),
  password: z.string().max(200).default(''),
  _csrf: z.string().max(100).optional(),
});

export const cookieOptions = (req: Request) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: req.secure,
  path: '/',
});

function showLogin(
  req: Request,
  res: Response,
  status: number,
  o: { email?: string; error?: string; info?: string } = {},
) {
  const loginCsrf = randomToken();
  res.cookie(LOGIN_CSRF_COOKIE, loginCsrf, { ...cookieOptions(req), maxAge: 60 * 60_000 });
  sendPage(res, 'login.njk', { title: 'Connexion', loginCsrf, ...o }, status);
}

export function loginRoutes(ctx: AppContext): Router {
  const r = Router();
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

  r.get('/', (req, res) => res.redirect(303, req.session ? '/espace' : '/tableau-de-bord'));
  r.get('/login', async (req, res) => {
    if (req.session) return res.redirect(303, '/espace');
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
    const s = req.session;
    if (!s) return res.redirect(303, '/login');
    if (!sameToken(s.csrf, req.body?._csrf))
      return sendPage(
        res,
        'error.njk',
        {
          title: 'Demande invalide',
          heading: 'Demande invalide',
          message: 'Le formulaire a expiré ou ne vient pas de ce site : rechargez la page et recommencez.',
          status: 403,
        },
        403,
      );
    await endSession(ctx, s.id);
    res.clearCookie(SESSION_COOKIE, cookieOptions(req));
    res.redirect(303, '/login?fin=deconnexion');
  });
  return r;
}
