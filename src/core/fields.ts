import { z } from 'zod';
import { parseHours } from '../lib/hours.js';
import { normaliseDate, normaliseMonth } from '../lib/dates.js';
import { compactSiret, siretMessage } from '../lib/siret.js';

// zod speaks French to people.
z.config(z.locales.fr());

// Field types shared by the API and the CSV imports, each with its French message.
export const refField = z
  .string()
  .trim()
  .min(1, 'Référence obligatoire.')
  .max(64, 'Référence trop longue (64 caractères au plus).')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, 'Référence invalide : lettres, chiffres, « . », « _ », « - » ou « / ».');

export const dateField = z.string({ error: 'Date obligatoire (jj/mm/aaaa ou aaaa-mm-jj).' }).transform((s, ctx) => {
  const d = normaliseDate(s);
  if (!d) {
    ctx.addIssue({ code: 'custom', message: `Date « ${s} » invalide (jj/mm/aaaa ou aaaa-mm-jj).` });
    return z.NEVER;
  }
  return d;
});

export const monthField = z.string({ error: 'Mois obligatoire (mm/aaaa ou aaaa-mm).' }).transform((s, ctx) => {
  const m = normaliseMonth(s);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `Mois « ${s} » invalide (mm/aaaa ou aaaa-mm).` });
    return z.NEVER;
  }
  return m;
});

/** Hours as "151,67", "151.67" or 151.67; at most two decimals; gives centihours. */
export const hoursField = (opts: { allowNegative?: boolean } = {}) =>
  z.union([z.string(), z.number()], { error: 'Nombre d’heures obligatoire.' }).transform((v, ctx) => {
    const r = parseHours(v, opts);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }
    return r.centihours;
  });

/** Euros with at most two decimals; gives cents. */
export const eurosField = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const r = parseHours(v); // same grammar: integer part, up to two decimals
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: `Montant « ${v} » invalide (exemple : 125000,50).` });
    return z.NEVER;
  }
  return r.centihours;
});

export const siretField = z.string({ error: 'SIRET obligatoire.' }).transform((s, ctx) => {
  const msg = siretMessage(s);
  if (msg) {
    ctx.addIssue({ code: 'custom', message: msg });
    return z.NEVER;
  }
  return compactSiret(s);
});

export const CONTRACT_TYPES = ['CDI', 'CDD', 'INTERIM', 'CDDI', 'PRO', 'APPRENTISSAGE', 'AUTRE'] as const;
export const MODES = ['DIRECT', 'ETTI', 'GEIQ', 'SIAE', 'MAD'] as const;
export const SEXES = ['F', 'M'] as const;
export const DEPARTEMENTS = ['59', '62'] as const;

export const contractTypeField = z.enum(CONTRACT_TYPES, {
  error: `Type de contrat inconnu (valeurs : ${CONTRACT_TYPES.join(', ')}).`,
});
export const modeField = z.enum(MODES, { error: `Mode inconnu (valeurs : ${MODES.join(', ')}).` });
export const sexField = z.enum(SEXES, { error: 'Sexe invalide (F ou M).' });
export const departementField = z.enum(DEPARTEMENTS, { error: 'Département invalide (59 ou 62).' });
