// Small helpers for the server-rendered French pages.

/** Escapes text for HTML (element content and attribute values). */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const intFr = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const decFr = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** 360 000 (narrow no-break space as thousands separator). */
export const formatIntFr = (n: number): string => intFr.format(n);
/** 47,3 */
export const formatOneDecimalFr = (n: number): string => decFr.format(n);
/** 2024-03 → 03/2024 */
export const formatMonthFr = (month: string): string => `${month.slice(5, 7)}/${month.slice(0, 4)}`;

/** French plural: 0 and 1 take the singular. */
export const plural = (n: number, one: string, many: string): string => `${formatIntFr(n)} ${n > 1 ? many : one}`;
