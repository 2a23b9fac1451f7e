// SIRET (14 digits) and SIREN (9 digits) keys: the Luhn algorithm, with La Poste's exception
// (SIREN 356000000: the digit sum of its SIRETs is divisible by 5).
const LA_POSTE_SIREN = '356000000';

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export function isValidSiret(s: string): boolean {
  if (!/^\d{14}$/.test(s)) return false;
  if (s.startsWith(LA_POSTE_SIREN)) {
    const sum = [...s].reduce((a, c) => a + Number(c), 0);
    return sum % 5 === 0;
  }
  return luhn(s);
}

export function isValidSiren(s: string): boolean {
  return /^\d{9}$/.test(s) && (s === LA_POSTE_SIREN || luhn(s));
}

/** Normalises "123 456 789 00012" to "12345678900012". */
export const compactSiret = (s: string): string => s.replace(/[\s.]/g, '');

export function siretMessage(s: string): string | null {
  const c = compactSiret(s);
  if (!/^\d{14}$/.test(c)) return `SIRET « ${s} » invalide : il doit compter 14 chiffres.`;
  if (!isValidSiret(c)) return `SIRET « ${s} » invalide : la clé de contrôle ne correspond pas.`;
  return null;
}

/**
 * A SIRET that a spreadsheet read as a number lost its leading zeros ("01234567800010" saved
 * as 1234567800010): 12 or 13 digits get them back. The key is checked afterwards as usual.
 */
export const restoreSiretZeros = (s: string): string => (/^\d{12,13}$/.test(s.trim()) ? s.trim().padStart(14, '0') : s);
