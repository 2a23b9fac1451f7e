// Hours are stored and added as integers of hundredths of an hour (centihours).
// Parsing never rounds: more than two decimals is an error.

export const MAX_MONTH_CENTIHOURS = 235 * 100; // 48 h a week at most

const HOURS_RE = /^(-)?(\d{1,9})(?:[.,](\d{1,2}))?$/;
// French spreadsheets group thousands with a space, a no-break space or a narrow no-break
// space ("1 200 000,00"); the groups must be whole (three digits) to be read as one number.
const GROUPED_RE = /^-?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?$/;
const GROUP_SPACE = /[ \u00a0\u202f]/g;

export type HoursParse = { ok: true; centihours: number } | { ok: false; message: string };

/** Parses "151,67", "151.67", "12", "1 200,50" or a number into centihours. */
export function parseHours(input: unknown, { allowNegative = false } = {}): HoursParse {
  const text = typeof input === 'number' ? numberToPlain(input) : typeof input === 'string' ? input.trim() : null;
  if (text === null || text === '') return { ok: false, message: 'Nombre d’heures manquant.' };
  const m = HOURS_RE.exec(GROUPED_RE.test(text) ? text.replace(GROUP_SPACE, '') : text);
  if (!m) {
    if (/^-?\d[\d \u00a0\u202f]*[.,]\d{3,}$/.test(text))
      return { ok: false, message: `« ${text} » a plus de deux décimales : saisissez les heures au centième près.` };
    return { ok: false, message: `« ${text} » n’est pas un nombre d’heures (exemple : 151,67).` };
  }
  const [, minus, int, dec = ''] = m;
  const value = Number(int) * 100 + Number(dec.padEnd(2, '0'));
  if (minus && value !== 0 && !allowNegative)
    return { ok: false, message: 'Le nombre d’heures ne peut pas être négatif.' };
  return { ok: true, centihours: minus ? -value : value };
}

// JSON numbers: 151.67 prints as "151.67"; 1e-7 would print in exponent form and be refused.
function numberToPlain(n: number): string {
  return Number.isFinite(n) ? String(n) : 'NaN';
}

/** Centihours to a number of hours with at most two decimals, for APIs. */
export const toHours = (centihours: number): number => Math.round(centihours) / 100;

const nf = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
/** French display: 151,67 h, 360 000 h (narrow no-break space as thousands separator). */
export const formatHoursFr = (centihours: number): string => `${nf.format(centihours / 100)}\u00a0h`;
