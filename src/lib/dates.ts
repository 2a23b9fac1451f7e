import { differenceInYears, format, isValid, parse as parseDate, parseISO } from 'date-fns';

// Dates are calendar dates (yyyy-MM-dd), months yyyy-MM; both are stored as ISO text.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const FR_DATE = /^\d{2}\/\d{2}\/\d{4}$/;
const ISO_MONTH = /^\d{4}-\d{2}$/;
const FR_MONTH = /^\d{2}\/\d{4}$/;

/** Accepts yyyy-MM-dd or dd/MM/yyyy; returns yyyy-MM-dd or null if not a real date. */
export function normaliseDate(input: string): string | null {
  const s = input.trim();
  let d: Date;
  if (ISO_DATE.test(s)) d = parseDate(s, 'yyyy-MM-dd', new Date(2000, 0, 1));
  else if (FR_DATE.test(s)) d = parseDate(s, 'dd/MM/yyyy', new Date(2000, 0, 1));
  else return null;
  return isValid(d) ? format(d, 'yyyy-MM-dd') : null;
}

/** Accepts yyyy-MM or MM/yyyy; returns yyyy-MM or null. */
export function normaliseMonth(input: string): string | null {
  const s = input.trim();
  let y: number, m: number;
  if (ISO_MONTH.test(s)) [y, m] = s.split('-').map(Number);
  else if (FR_MONTH.test(s)) [m, y] = s.split('/').map(Number);
  else return null;
  if (m < 1 || m > 12 || y < 1900 || y > 2200) return null;
  return `${y}-${String(m).padStart(2, '0')}`;
}

export const monthOf = (isoDate: string): string => isoDate.slice(0, 7);

/** Whole calendar years between birth and date, birthdays exact (date-fns). */
export const ageOn = (birthDate: string, onDate: string): number =>
  differenceInYears(parseISO(onDate), parseISO(birthDate));

/** dd/MM/yyyy for people. */
export const formatDateFr = (isoDate: string): string => format(parseISO(isoDate), 'dd/MM/yyyy');

/** A yyyy-MM-dd date as people write it (dd/MM/yyyy); anything else as it is (a cell quoted back). */
export const quoteDateFr = (s: string): string =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) ? s.split('-').reverse().join('/') : s;

const FR_DATE_YY = /^(\d{1,2})\/(\d{1,2})\/(\d{2})$/;

/** A date whose year has two digits (dd/MM/yy, as LibreOffice re-saves dates): day, month, yy. */
export interface TwoDigitDate {
  day: number;
  month: number;
  yy: number;
}

/** dd/MM/yy (or d/M/yy) read as its parts, or null for any other form. */
export function twoDigitYearDate(input: string): TwoDigitDate | null {
  const m = FR_DATE_YY.exec(input.trim());
  return m ? { day: Number(m[1]), month: Number(m[2]), yy: Number(m[3]) } : null;
}

/** The ISO date of a two-digit-year date in a given century (19 or 20), or null if it does not exist. */
export function inCentury(d: TwoDigitDate, century: 19 | 20): string | null {
  const pad = (n: number) => String(n).padStart(2, '0');
  return normaliseDate(`${pad(d.day)}/${pad(d.month)}/${century}${pad(d.yy)}`);
}
/** MM/yyyy for people, from yyyy-MM. */
export const formatMonthFr = (month: string): string => `${month.slice(5, 7)}/${month.slice(0, 4)}`;
