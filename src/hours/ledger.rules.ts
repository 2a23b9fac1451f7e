import type { LedgerRuleCode } from '../core/errors.js';
import { formatDateFr, formatMonthFr, monthOf } from '../lib/dates.js';
import { formatHoursFr, MAX_MONTH_CENTIHOURS } from '../lib/hours.js';

// The rules one hour entry must follow (docs/rules.md), as plain functions: the ledger's
// write function applies them to every entry, and the import's first pass to every row so
// that each bad row is named with its line. Messages give months as MM/yyyy, dates as dd/MM/yyyy.

export type RuleViolation = { code: LedgerRuleCode; message: string };

/** What the rules need to know of a contract (its marché's dates: rules.md, "Month within the dates"). */
export interface DatedContract {
  ref: string;
  start_date: string;
  end_date: string;
}
export interface DatedMarche {
  ref: string;
  start_date: string;
  end_date: string;
}

const outside = (month: string, d: { start_date: string; end_date: string }) =>
  month < monthOf(d.start_date) || month > monthOf(d.end_date);

/** The month lies within the contract's dates; null when fine. */
export function monthOutsideContract(c: DatedContract, month: string): RuleViolation | null {
  if (!outside(month, c)) return null;
  return {
    code: 'month_outside_contract',
    message:
      `Le mois ${formatMonthFr(month)} est hors des dates du contrat « ${c.ref} » (du ` +
      `${formatDateFr(c.start_date)} au ${formatDateFr(c.end_date)}).`,
  };
}

/** The month lies within the marché's dates too (an entry after the works ended is refused). */
export function monthOutsideMarche(m: DatedMarche, month: string): RuleViolation | null {
  if (!outside(month, m)) return null;
  return {
    code: 'month_outside_marche',
    message:
      `Le mois ${formatMonthFr(month)} est hors des dates du marché « ${m.ref} » (du ` +
      `${formatDateFr(m.start_date)} au ${formatDateFr(m.end_date)}).`,
  };
}

/** A contract-month totals 0 to 235 h. */
export function monthTotalViolation(ref: string, month: string, total: number): RuleViolation | null {
  if (total < 0)
    return {
      code: 'negative_month_total',
      message:
        `Le total du contrat « ${ref} » pour ${formatMonthFr(month)} deviendrait négatif ` +
        `(${formatHoursFr(total)}).`,
    };
  if (total > MAX_MONTH_CENTIHOURS)
    return {
      code: 'month_total_too_high',
      message:
        `Le total du contrat « ${ref} » pour ${formatMonthFr(month)} dépasserait 235 h ` +
        `(${formatHoursFr(total)}) : 48 h par semaine au plus.`,
    };
  return null;
}

export const closedMonthViolation = (month: string): RuleViolation => ({
  code: 'month_closed',
  message:
    `Le mois ${formatMonthFr(month)} est clos pour cette structure : demandez sa réouverture à un ` + `administrateur.`,
});
