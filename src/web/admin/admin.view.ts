import { ROLE_LABELS, ROLES, type Role } from '../../accounts/actor.js';
import type { accountView, tokenView } from '../../accounts/accounts.schemas.js';
import type { AuditPage } from '../../audit/audit.service.js';
import { formatDateFr } from '../../lib/dates.js';
import { formatMonthFr } from '../../lib/html.js';
import { DEPARTEMENT_NAMES, queryString } from '../reports/rsa.view.js';

// View-models of the admin pages: accounts, closed months and the audit log, with French
// dates ("24/11/2026 à 10:00") and words for codes.

type Account = ReturnType<typeof accountView>;
type Token = ReturnType<typeof tokenView>;

/** 2026-11-24T10:00:00.000Z → 24/11/2026 à 10:00 (the stored time, UTC). */
export const dateTimeFr = (iso: string | null | undefined): string =>
  iso ? `${formatDateFr(iso.slice(0, 10))} à ${iso.slice(11, 16)}` : '';

export const roleOptions = () => ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }));

/** What an account is bound to, in words. */
export function scopeOf(
  a: Pick<Account, 'role' | 'structure' | 'contractorSiren' | 'contractorSiret' | 'departement'>,
) {
  if (a.role === 'facilitator') return a.structure ?? '';
  if (a.role === 'contractor') return a.contractorSiret ? `SIRET ${a.contractorSiret}` : `SIREN ${a.contractorSiren}`;
  if (a.role === 'departement') return `${DEPARTEMENT_NAMES[a.departement ?? ''] ?? ''} (${a.departement})`;
  return 'Tout le programme';
}

/** Actif, Désactivé le…, Bloqué jusqu’au… (a lockout only counts while it lasts). */
export function statusOf(a: Pick<Account, 'disabledAt' | 'lockedUntil'>, nowIso: string) {
  if (a.disabledAt) return { code: 'disabled', label: `Désactivé le ${formatDateFr(a.disabledAt.slice(0, 10))}` };
  if (a.lockedUntil && a.lockedUntil > nowIso)
    return { code: 'locked', label: `Bloqué jusqu’au ${dateTimeFr(a.lockedUntil)}` };
  return { code: 'active', label: 'Actif' };
}

export function accountRow(a: Account, nowIso: string) {
  return {
    id: a.id,
    href: `/admin/comptes/${a.id}`,
    name: a.name,
    email: a.email ?? '—',
    role: ROLE_LABELS[a.role as Role] ?? a.role,
    scope: scopeOf(a),
    status: statusOf(a, nowIso),
    login: a.hasPassword ? 'Mot de passe' : 'Jeton seulement',
    lastLogin: a.lastLoginAt ? dateTimeFr(a.lastLoginAt) : '—',
  };
}

export function tokenRow(t: Token) {
  return {
    id: t.id,
    label: t.label,
    created: dateTimeFr(t.createdAt),
    lastUsed: t.lastUsedAt ? dateTimeFr(t.lastUsedAt) : 'Jamais',
    revoked: t.revokedAt ? `Révoqué le ${dateTimeFr(t.revokedAt)}` : null,
  };
}

export interface ClosedMonth {
  structure: string;
  structureName?: string;
  month: string;
  closedAt: string;
  closedBy?: string | null;
}

export function closedMonthRow(m: ClosedMonth) {
  return {
    structure: m.structure,
    structureName: m.structureName ?? m.structure,
    month: formatMonthFr(m.month),
    closedAt: dateTimeFr(m.closedAt),
    closedBy: m.closedBy ?? '—',
    action: `/admin/mois/${encodeURIComponent(m.structure)}/${m.month}/rouvrir`,
    // Field ids unique per row, so that each reason's label and error point at its own field.
    id: `${m.structure}-${m.month}`,
  };
}

const DETAIL_KEYS: Record<string, string> = {
  reason: 'motif',
  month: 'mois',
  role: 'rôle',
  label: 'libellé',
  tokenId: 'jeton n°',
  before: 'avant',
  after: 'après',
  hours: 'heures',
};

const detailValue = (v: unknown): string => {
  if (typeof v === 'string') return /^\d{4}-\d{2}$/.test(v) ? formatMonthFr(v) : v;
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
};

/** Details of an entry as short "key : value" lines (values JSON-encoded when not text). */
export function detailLines(details: unknown): string[] {
  if (details == null) return [];
  if (typeof details !== 'object' || Array.isArray(details)) return [JSON.stringify(details)];
  return Object.entries(details as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${DETAIL_KEYS[k] ?? k} : ${detailValue(v)}`);
}

export interface AuditFilterValues {
  action?: string;
  entity?: string;
  ref?: string;
  account?: number;
  from?: string; // yyyy-MM-dd
  to?: string;
}

/** The log's rows and its paging links (newest first; "older" keeps the filters). */
export function auditView(page: AuditPage, f: AuditFilterValues, limit: number) {
  const filters = {
    action: f.action,
    entity: f.entity,
    ref: f.ref,
    account: f.account ? String(f.account) : undefined,
    from: f.from,
    to: f.to,
  };
  const keep = { ...filters, limit: limit === 50 ? undefined : String(limit) };
  return {
    rows: page.items.map((e) => ({
      id: e.id,
      at: dateTimeFr(e.at),
      action: e.action,
      entity: e.entity,
      ref: e.ref ?? '',
      account: e.account ? e.account.name : 'Système',
      accountHref: e.account ? `/admin/comptes/${e.account.id}` : null,
      details: detailLines(e.details),
    })),
    older: page.next ? `/admin/journal${queryString({ ...keep, before: String(page.next.before) })}` : null,
    newest: `/admin/journal${queryString(keep)}`,
  };
}
