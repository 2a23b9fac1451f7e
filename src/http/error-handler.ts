import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, errors, type ErrorKind } from '../core/errors.js';
import { zodDetails } from '../core/validate.js';
import { isUniqueViolation } from '../db/rows.js';

/** The HTTP status of each kind of error of the catalogue (src/core/errors.ts), decided once. */
export const STATUS_OF: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  unprocessable: 422,
  locked: 423,
  too_many: 429,
  internal: 500,
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  // The path is echoed only when short: the message must not carry what a client made up.
  const path = req.path.length <= 200 ? req.path : `${req.path.slice(0, 200)}…`;
  next(errors.routeNotFound(req.method, path));
};

/**
 * A value the database refused as data (PostgreSQL class 22: too long for its column, out of
 * an integer's range, NUL in text...; SQLite: too big, type mismatch): the input was wrong.
 */
function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return /^22[0-9A-Z]{3}$/.test(code) || code === 'SQLITE_TOOBIG' || code === 'SQLITE_MISMATCH';
}

/** Turns anything thrown into a catalogue error; unknown errors become `internal_error`. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return errors.validation(zodDetails(err));
  const type = (err as { type?: string } | null)?.type;
  if (type === 'entity.parse.failed') return errors.badJson();
  if (type === 'entity.too.large') return errors.tooLarge();
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') return errors.unsupportedEncoding();
  // A unique constraint no service foresaw (two requests racing): the row exists, say so.
  if (isUniqueViolation(err)) return errors.alreadyExists();
  if (isDataError(err)) return errors.invalidInput('Requête invalide : une valeur envoyée n’est pas acceptable.');
  // Express's own URI decoding failure (bad percent-encoding): bad input, not a crash.
  if (err instanceof URIError || (err as { status?: number } | null)?.status === 400)
    return errors.badPercentEncoding('l’adresse');
  return errors.internal();
}

/** The one place that turns errors into the API's error shape (or a page). No stack or SQL ever leaves. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appErr = toAppError(err);
  if (appErr.kind === 'internal') req.log?.error({ err }, 'unexpected error');
  // Input the database itself refused: answered 400, logged so that a missing check shows.
  else if (isDataError(err)) req.log?.warn({ err }, 'input refused by the database');
  if (res.headersSent) return void res.end();
  // Pages outside /api got their error page from the web layer (src/web/errors.page.ts) before this.
  res.status(STATUS_OF[appErr.kind]).json({
    error: { code: appErr.code, message: appErr.message, details: appErr.details },
  });
};
