import { z } from 'zod';
import { DEPARTEMENTS } from '../core/fields.js';
import { isValidSiren, isValidSiret } from '../lib/siret.js';
import { ROLES } from './actor.js';
import type { AccountListRow, TokenRow } from './accounts.store.js';

// Input of an account creation (API and CLI share it) and the one output shape of an account:
// no password hash, no token hash ever leaves through it.

export const passwordField = z
  .string()
  .min(12, 'Mot de passe trop court (12 caractères au moins).')
  .max(200, 'Mot de passe trop long (200 caractères au plus).');

export const newAccountSchema = z
  .object({
    role: z.enum(ROLES, { error: `Rôle inconnu (valeurs : ${ROLES.join(', ')}).` }),
    name: z.string({ error: 'Nom obligatoire.' }).trim().min(1, 'Nom obligatoire.').max(200),
    email: z.string().trim().toLowerCase().email('Adresse électronique invalide.').max(200).nullish(),
    password: passwordField.nullish(),
    structure: z.string().trim().min(1).nullish(),
    contractor: z
      .string()
      .trim()
      .transform((s) => s.replace(/[\s.]/g, ''))
      .nullish(), // SIREN or SIRET
    departement: z.enum(DEPARTEMENTS, { error: 'Département invalide (59 ou 62).' }).nullish(),
  })
  .superRefine((a, ctx) => {
    const need = (field: 'structure' | 'contractor' | 'departement', message: string) => {
      if (!a[field]) ctx.addIssue({ code: 'custom', path: [field], message });
    };
    const forbid = (field: 'structure' | 'contractor' | 'departement') => {
      if (a[field])
        ctx.addIssue({ code: 'custom', path: [field], message: `Le rôle ${a.role} ne se rattache pas à ce champ.` });
    };
    if (a.role === 'facilitator')
      need('structure', 'Un facilitateur est rattaché à une structure (code, ex. plie-bethune).');
    else forbid('structure');
    if (a.role === 'contractor') {
      need('contractor', 'Une entreprise est rattachée à un SIREN (9 chiffres) ou un SIRET (14 chiffres).');
      const c = a.contractor ?? '';
      if (c && !(c.length === 9 ? isValidSiren(c) : c.length === 14 && isValidSiret(c)))
        ctx.addIssue({
          code: 'custom',
          path: ['contractor'],
          message: `SIREN ou SIRET « ${c} » invalide (9 ou 14 chiffres, clé de contrôle).`,
        });
    } else forbid('contractor');
    if (a.role === 'departement') need('departement', 'Un compte Département est rattaché au 59 ou au 62.');
    else forbid('departement');
    if (a.password && !a.email)
      ctx.addIssue({
        code: 'custom',
        path: ['email'],
        message: 'Un mot de passe demande une adresse électronique (identifiant de connexion).',
      });
  });

export type NewAccount = z.infer<typeof newAccountSchema>;

/** `accounts update` and PATCH /accounts/:id: what may change on an account (at least one field). */
export const accountPatchSchema = z
  .object({
    name: z.string().trim().min(1, 'Nom obligatoire.').max(200, 'Nom trop long (200 caractères au plus).').optional(),
    email: z
      .string()
      .trim()
      .toLowerCase()
      .email('Adresse électronique invalide.')
      .max(200, 'Adresse trop longue (200 caractères au plus).')
      .optional(),
    // The function printed under the name on attestations (« Chargée de mission clauses »);
    // an empty text removes it.
    function: z
      .string()
      .trim()
      .max(200, 'Fonction trop longue (200 caractères au plus).')
      .transform((s) => s || null)
      .nullable()
      .optional(),
  })
  .refine((p) => p.name !== undefined || p.email !== undefined || p.function !== undefined, {
    message: 'Indiquez au moins un champ à modifier : name, email ou function.',
  });

export type AccountPatch = z.infer<typeof accountPatchSchema>;

export const tokenLabelSchema = z.object({ label: z.string().trim().min(1).max(100).default('API') });

/** The only shape in which an account leaves the service. */
export function accountView(r: AccountListRow) {
  return {
    id: Number(r.id),
    name: r.name,
    function: r.function ?? null,
    email: r.email ?? null,
    role: r.role,
    structure: r.structure_code ?? null,
    contractorSiren: r.contractor_siren ?? null,
    contractorSiret: r.contractor_siret ?? null,
    departement: r.departement_code ?? null,
    hasPassword: !!r.password_hash,
    disabledAt: r.disabled_at ?? null,
    lockedUntil: r.locked_until ?? null,
    lastLoginAt: r.last_login_at ?? null,
    createdAt: r.created_at,
  };
}

export function tokenView(r: Pick<TokenRow, 'id' | 'label' | 'created_at' | 'last_used_at' | 'revoked_at'>) {
  return {
    id: Number(r.id),
    label: r.label,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at ?? null,
    revokedAt: r.revoked_at ?? null,
  };
}
