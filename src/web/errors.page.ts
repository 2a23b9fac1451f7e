import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { isApiRequest } from '../http/boundary.js';
import { errors } from '../core/errors.js';
import { STATUS_OF, toAppError } from '../http/error-handler.js';
import { sendPage } from './render.js';
import { SESSION_COOKIE } from './sessions.js';

// Errors of the web pages are pages in the same design (the API keeps its JSON errors):
// not signed in → the login page; 403, 404, 500... → a French page with the header.

// The API answers JSON errors (src/http/error-handler.ts); everything else, pages.
const isApi = (req: Request) => req.path === '/api' || isApiRequest(req);

const HEADINGS: Record<number, string> = {
  400: 'Demande invalide',
  403: 'Accès refusé',
  404: 'Page introuvable',
  409: 'Opération impossible',
  413: 'Fichier trop volumineux',
  422: 'Données refusées',
  429: 'Trop de tentatives',
  500: 'Erreur interne',
};

/** Unknown page paths (outside /api): a 404 page. */
export const pageNotFound: RequestHandler = (req, _res, next) => {
  if (isApi(req)) return next();
  next(errors.routeNotFound(req.method, req.path));
};

export const pageErrorHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (isApi(req) || res.headersSent) return next(err);
  const e = toAppError(err);
  if (e.kind === 'unauthenticated')
    return res.redirect(303, req.cookies?.[SESSION_COOKIE] ? '/login?fin=expiree' : '/login');
  if (e.kind === 'internal') req.log?.error({ err }, 'unexpected error');
  const status = STATUS_OF[e.kind];
  const message =
    e.kind === 'not_found'
      ? 'Cette page n’existe pas, ou vous n’y avez pas accès. Vérifiez l’adresse.'
      : e.kind === 'forbidden'
        ? 'Votre compte ne permet pas d’ouvrir cette page.'
        : e.kind === 'internal'
          ? 'Une erreur interne est survenue. Elle a été journalisée ; réessayez dans un instant.'
          : e.message;
  sendPage(
    res,
    'error.njk',
    { title: HEADINGS[status] ?? 'Erreur', heading: HEADINGS[status] ?? 'Erreur', message, status, details: e.details },
    status,
  );
};
