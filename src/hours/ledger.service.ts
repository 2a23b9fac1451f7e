import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { errors, type LedgerRuleCode } from '../core/errors.js';
import { MAX_MONTH_CENTIHOURS, formatHoursFr } from '../lib/hours.js';
import { monthOf } from '../lib/dates.js';
import * as store from './ledger.store.js';
import { applyMonthChanges } from './rollups.js';

// The rules of the ledger (DESIGN.md section 4), shared by the API and the imports.

export interface ContractForLedger {
  id: number;
  ref: string;
  cite_id: number;
  start_date: string;
  end_date: string;
}

export interface NewEntry {
  contract: ContractForLedger;
  month: string;
  centihours: number; // signed difference
  kind: 'entry' | 'correction';
  correctsId?: number | null;
  reason?: string | null;
  idempotencyKey?: string | null;
  requestHash?: string | null;
  postedBy: number | null;
  importId?: number | null;
  at: string;
}

export type RuleViolation = { code: LedgerRuleCode; message: string };

/** Checks a month against a contract's dates; null when fine. */
export function monthOutsideContract(c: ContractForLedger, month: string): RuleViolation | null {
  if (month < monthOf(c.start_date) || month > monthOf(c.end_date))
    return {
      code: 'month_outside_contract',
      message: `Le mois ${month} est hors des dates du contrat « ${c.ref} » (du ${c.start_date} au ${c.end_date}).`,
    };
  return null;
}

export function monthTotalViolation(ref: string, month: string, total: number): RuleViolation | null {
  if (total < 0)
    return {
      code: 'negative_month_total',
      message: `Le total du contrat « ${ref} » pour ${month} deviendrait négatif (${formatHoursFr(total)}).`,
    };
  if (total > MAX_MONTH_CENTIHOURS)
    return {
      code: 'month_total_too_high',
      message: `Le total du contrat « ${ref} » pour ${month} dépasserait 235 h (${formatHoursFr(total)}) : 48 h par semaine au plus.`,
    };
  return null;
}

export const closedMonthViolation = (month: string): RuleViolation => ({
  code: 'month_closed',
  message: `Le mois ${month} est clos pour cette structure : demandez sa réouverture à un administrateur.`,
});

const raise = (v: RuleViolation) => {
  throw errors.ledgerRule(v.code, v.message);
};

/**
 * Appends one entry inside the caller's transaction, after checking every rule, and keeps
 * the contract-month rollup in step. Returns the new entry's id and the month's new total.
 */
export async function appendEntry(trx: Knex, e: NewEntry): Promise<{ id: number; monthTotal: number }> {
  const outside = monthOutsideContract(e.contract, e.month);
  if (outside) raise(outside);
  if (await store.isMonthClosedForCite(trx, e.contract.cite_id, e.month)) raise(closedMonthViolation(e.month));
  const current = await store.lockMonthTotal(trx, e.contract.id, e.month);
  const total = current + e.centihours;
  const bad = monthTotalViolation(e.contract.ref, e.month, total);
  if (bad) raise(bad);
  const id = await store.insertEntry(trx, {
    contract_id: e.contract.id,
    month: e.month,
    centihours: e.centihours,
    kind: e.kind,
    corrects_id: e.correctsId ?? null,
    reason: e.reason ?? null,
    idempotency_key: e.idempotencyKey ?? null,
    request_hash: e.requestHash ?? null,
    posted_by: e.postedBy,
    import_id: e.importId ?? null,
    created_at: e.at,
  });
  await applyMonthChanges(trx, [{ contractId: e.contract.id, month: e.month, delta: e.centihours, newTotal: total }]);
  return { id, monthTotal: total };
}

/** A stable hash of what a request asked for, to tell a replay from a key reuse. */
export const requestHash = (parts: unknown): string =>
  crypto.createHash('sha256').update(JSON.stringify(parts)).digest('hex');
