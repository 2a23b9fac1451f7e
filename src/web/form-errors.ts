import type { ZodError } from 'zod';
import { AppError } from '../core/errors.js';
import { zodDetails } from '../core/validate.js';

// Turns the API's validation errors (zod issues, catalogue errors with details) into the
// messages a form shows next to each field: { field: message }, the first message per field.

export type FieldErrors = Record<string, string>;

export function fieldErrorsOf(details: Array<{ path?: string; message: string }>, fallback = '_'): FieldErrors {
  const out: FieldErrors = {};
  for (const d of details) {
    const key = d.path?.split('.')[0] || fallback;
    out[key] ??= d.message;
  }
  return out;
}

export const zodFieldErrors = (e: ZodError, fallback?: string) => fieldErrorsOf(zodDetails(e), fallback);

/** A catalogue error as field errors: its details, or its message on `field`. */
export function appFieldErrors(e: AppError, field: string): FieldErrors {
  return e.details.length ? fieldErrorsOf(e.details, field) : { [field]: e.message };
}

/** Form values: blank strings become undefined, so that optional fields stay optional. */
export function blankToUndefined(body: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (body && typeof body === 'object')
    for (const [k, v] of Object.entries(body as Record<string, unknown>))
      out[k] = typeof v === 'string' && v.trim() !== '' ? v : undefined;
  return out;
}

/** Whether an error is a catalogue error of one of these codes (the others are rethrown). */
export const isAppError = (e: unknown, ...codes: AppError['code'][]): e is AppError =>
  e instanceof AppError && (codes.length === 0 || codes.includes(e.code));
