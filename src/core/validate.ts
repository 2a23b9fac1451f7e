import type { z, ZodError } from 'zod';
import { errors, type ErrorDetail } from './errors.js';

/** zod's issues as error details (path and French message). */
export function zodDetails(err: ZodError): ErrorDetail[] {
  return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/** Parses input with a zod schema; bad input becomes a validation error with French details. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw errors.validation(zodDetails(r.error));
  return r.data;
}
