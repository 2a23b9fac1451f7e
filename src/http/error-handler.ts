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
  next(errors.routeNotFound(req.method, req.path));
};

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
  // Express's own URI decoding failure (bad percent-encoding): bad input, not a crash.
  if (err instanceof URIError || (err as { status?: number } | null)?.status === 400)
    return errors.invalidInput('Adresse invalide : encodage « % » incorrect.');
  return errors.internal();
}

/** The one place that turns errors into the API's error shape. No stack or SQL ever leaves. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const appErr = toAppError(err);
  if (appErr.kind === 'internal') req.log?.error({ err }, 'unexpected error');
  res.status(STATUS_OF[appErr.kind]).json({
    error: { code: appErr.code, message: appErr.message, details: appErr.details },
  });
};
