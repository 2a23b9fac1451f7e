import type { z } from 'zod';
import { errors, zodDetails } from './errors.js';

/** Parses input with a zod schema; bad input becomes a 400 with French details. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw errors.validation(zodDetails(r.error));
  return r.data;
}
