import { z } from 'zod';
import { monthField } from '../core/fields.js';

// Inputs of closing and reopening a month (API and web pages share them).

export const closeMonthBody = z.object({ structure: z.string().optional(), month: monthField });
export const closedMonthParams = z.object({ structure: z.string(), month: monthField });
export const reopenBody = z.object({
  reason: z.string({ error: 'Motif obligatoire.' }).trim().min(3, 'Motif obligatoire.').max(500),
});
