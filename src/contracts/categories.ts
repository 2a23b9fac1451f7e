import { ageOn } from '../lib/dates.js';

// Beneficiary categories (docs/rules.md). JEUNE and SENIOR are computed from the birth
// date on the contract's start date, never declared.
export const DECLARED_CATEGORIES = ['RSA', 'DELD', 'RQTH', 'ASS', 'AAH', 'QPV', 'IAE', 'AUTRE'] as const;
export const COMPUTED_CATEGORIES = ['JEUNE', 'SENIOR'] as const;
export const ALL_CATEGORIES = [...DECLARED_CATEGORIES, ...COMPUTED_CATEGORIES] as const;
export type Category = (typeof ALL_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  RSA: 'Bénéficiaire du RSA',
  DELD: 'Demandeur d’emploi de longue durée',
  RQTH: 'Travailleur handicapé (RQTH)',
  ASS: 'Allocataire de l’ASS',
  AAH: 'Allocataire de l’AAH',
  QPV: 'Résident d’un QPV',
  IAE: 'Salarié d’une SIAE',
  AUTRE: 'Autre',
  JEUNE: 'Jeune de moins de 26 ans',
  SENIOR: 'Senior de 50 ans et plus',
};

export type CategoryParse = { ok: true; categories: Category[] } | { ok: false; message: string };

/** Parses declared codes ("RSA,QPV"); JEUNE/SENIOR are ignored if given (they are computed). */
export function parseDeclaredCategories(input: string | string[]): CategoryParse {
  const codes = (Array.isArray(input) ? input : input.split(',')).map((c) => c.trim().toUpperCase()).filter(Boolean);
  const unknown = codes.filter((c) => !(ALL_CATEGORIES as readonly string[]).includes(c));
  if (unknown.length)
    return {
      ok: false,
      message: `Catégorie inconnue : ${unknown.join(', ')} (valeurs : ${DECLARED_CATEGORIES.join(', ')}).`,
    };
  const declared = DECLARED_CATEGORIES.filter((c) => codes.includes(c));
  return { ok: true, categories: declared };
}

/** The categories frozen on a contract: the declared ones plus the computed age ones. */
export function frozenCategories(declared: Category[], birthDate: string, contractStart: string): Category[] {
  const age = ageOn(birthDate, contractStart);
  const out: Category[] = DECLARED_CATEGORIES.filter((c) => declared.includes(c));
  if (age < 26) out.push('JEUNE');
  if (age >= 50) out.push('SENIOR');
  return out;
}
