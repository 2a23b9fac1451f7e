import { addMonths, format, parseISO } from 'date-fns';
import type { AppContext } from '../context.js';

// Months as the pages show them: "mars 2024", the current month, the month before and after.

const LONG = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

export const monthLabel = (month: string): string => LONG.format(new Date(`${month}-01T00:00:00Z`));
export const currentMonth = (ctx: AppContext): string => ctx.clock().toISOString().slice(0, 7);
export const shiftMonth = (month: string, n: number): string =>
  format(addMonths(parseISO(`${month}-01`), n), 'yyyy-MM');
