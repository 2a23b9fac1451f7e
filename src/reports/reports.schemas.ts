import { z } from 'zod';
import { departementField, monthField } from '../core/fields.js';

// The queries of the reports, shared by the API and the web pages (one schema, one message).

export const periodFields = { from: monthField.optional(), to: monthField.optional() };
export const formatField = z
  .enum(['json', 'csv', 'xlsx'], { error: 'Format inconnu (json, csv ou xlsx).' })
  .default('json');

/** A comma-separated list of dimensions, e.g. "year,departement". */
export const groupByField = z
  .string({ error: 'Regroupement obligatoire (exemple : groupBy=year,departement).' })
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

export const hoursQuery = z.object({
  programme: z.string().trim().min(1).default('erbm'),
  groupBy: groupByField,
  ...periodFields,
  format: formatField,
});

export const rsaQuery = z.object({ departement: departementField, ...periodFields, format: formatField });
