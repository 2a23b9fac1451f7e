import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';

export interface ErrorDetail {
  path?: string;
  line?: number;
  column?: string;
  message: string;
}

/** A typed error whose status and French message reach the user as they are. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

// The catalogue of errors, French sentences for people.
export const errors = {
  validation: (details: ErrorDetail[]) =>
    new AppError(400, 'validation_failed', 'Les données envoyées ne sont pas valides.', details),
  badJson: () => new AppError(400, 'invalid_json', 'Le corps de la requête n’est pas un JSON valide.'),
  unauthenticated: () =>
    new AppError(401, 'unauthenticated', 'Authentification requise : jeton absent, invalide ou révoqué.'),
  forbidden: (what = 'cette ressource') =>
    new AppError(403, 'forbidden', `Vous n’avez pas accès à ${what}.`),
  notFound: (what: string) => new AppError(404, 'not_found', `${what} introuvable.`),
  routeNotFound: (method: string, path: string) =>
    new AppError(404, 'route_not_found', `Aucune ressource ne correspond à ${method} ${path}.`),
  conflict: (code: string, message: string, details: ErrorDetail[] = []) => new AppError(409, code, message, details),
  unprocessable: (code: string, message: string, details: ErrorDetail[] = []) =>
    new AppError(422, code, message, details),
  tooLarge: (hint = '') =>
    new AppError(413, 'payload_too_large', `Le corps de la requête est trop volumineux.${hint ? ' ' + hint : ''}`),
  tooManyRequests: () =>
    new AppError(429, 'too_many_requests', 'Trop de tentatives : réessayez dans quelques minutes.'),
};

export function zodDetails(err: ZodError): ErrorDetail[] {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(errors.routeNotFound(req.method, req.path));
};

/** The one place that turns errors into the API's error shape. No stack or SQL ever leaves. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let appErr: AppError;
  if (err instanceof AppError) appErr = err;
  else if (err instanceof ZodError) appErr = errors.validation(zodDetails(err));
  else if (err?.type === 'entity.parse.failed') appErr = errors.badJson();
  else if (err?.type === 'entity.too.large') appErr = errors.tooLarge();
  else if (err?.type === 'charset.unsupported' || err?.type === 'encoding.unsupported')
    appErr = new AppError(415, 'unsupported_encoding', 'Encodage non pris en charge : envoyez de l’UTF-8.');
  else {
    req.log?.error({ err }, 'unexpected error');
    appErr = new AppError(500, 'internal_error', 'Une erreur interne est survenue. Elle a été journalisée.');
  }
  res.status(appErr.status).json({
    error: { code: appErr.code, message: appErr.message, details: appErr.details },
  });
};
