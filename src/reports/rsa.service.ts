import { endOfMonth, format, parseISO } from 'date-fns';
import type { AppContext } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { errors } from '../core/errors.js';
import { toHours } from '../lib/hours.js';
import { CONTRACT_TYPES } from '../core/fields.js';
import { EXIT_OUTCOMES, EXIT_OUTCOME_LABELS } from '../contracts/outcome.js';
import { CONTRACT_TYPE_LABELS } from './labels.js';
import { countsBy, hoursBy, type Period } from './rollups/index.js';
import { assertPeriod, programmeOrThrow } from './progress.service.js';
import * as store from './reports.store.js';

// The RSA report of a Département: the RSA beneficiaries it pays (rsa_departement on the
// contract, frozen at its start). Aggregates only: no names, no birth dates, no refs.

export interface RsaQuery extends Period {
  departement: string;
  programme?: string;
}

function assertCanRead(actor: Actor, departement: string): void {
  if (actor.role === 'admin' || actor.role === 'facilitator') return;
  if (actor.role === 'departement' && actor.departementCode === departement) return;
  throw errors.forbidden(`le rapport RSA du Département ${departement}`);
}

export async function rsaReport(ctx: AppContext, actor: Actor, q: RsaQuery) {
  assertCanRead(actor, q.departement);
  assertPeriod(q);
  const programme = await programmeOrThrow(ctx, q.programme ?? 'erbm');
  const db = ctx.db;
  const id = programme.id;
  const d = q.departement;
  const period = { from: q.from, to: q.to };
  const typeKeys = CONTRACT_TYPES.map((t) => `${d}|${t}`);
  const [hours, people, contracts, typeHours, typePeople, typeContracts, monthPeople, firsts, monthHours] =
    await Promise.all([
      hoursBy(db, id, 'rsaPayer', period, 'none', [d]),
      countsBy(db, id, 'rsaPayer', 'p', period, 'none', [d]),
      countsBy(db, id, 'rsaPayer', 'c', period, 'none', [d]),
      hoursBy(db, id, 'rsaPayerType', period, 'none', typeKeys),
      countsBy(db, id, 'rsaPayerType', 'p', period, 'none', typeKeys),
      countsBy(db, id, 'rsaPayerType', 'c', period, 'none', typeKeys),
      countsBy(db, id, 'rsaPayer', 'p', period, 'month', [d]),
      // First month ever with hours paid by this Département: the link with no previous month.
      store.rsaFirstMonths(db, id, d, period),
      hoursBy(db, id, 'rsaPayer', period, 'month', [d]),
    ]);
  const [newContracts, exits] = await Promise.all([
    store.rsaContractStarts(db, id, d, datesOf(period)),
    exitsOf(ctx, id, d, period),
  ]);
  const at = (rows: Array<{ key: string; centihours?: number; n?: number }>, key: string) =>
    rows.find((r) => r.key === key);
  const months = [
    ...new Set([
      ...monthPeople.map((r) => r.bucket),
      ...monthHours.filter((r) => r.centihours !== 0).map((r) => r.bucket),
      ...firsts.keys(),
      ...newContracts.keys(),
    ]),
  ].sort();
  return {
    departement: d,
    programme: programme.code,
    from: q.from ?? null,
    to: q.to ?? null,
    beneficiaries: people[0]?.n ?? 0,
    hours: toHours(hours[0]?.centihours ?? 0),
    contracts: contracts[0]?.n ?? 0,
    byContractType: CONTRACT_TYPES.map((t) => ({
      contractType: t,
      label: CONTRACT_TYPE_LABELS[t],
      contracts: at(typeContracts, `${d}|${t}`)?.n ?? 0,
      beneficiaries: at(typePeople, `${d}|${t}`)?.n ?? 0,
      hours: toHours(at(typeHours, `${d}|${t}`)?.centihours ?? 0),
    })).filter((r) => r.contracts > 0 || r.hours !== 0),
    byMonth: months.map((m) => ({
      month: m,
      hours: toHours(monthHours.find((r) => r.bucket === m)?.centihours ?? 0),
      beneficiaries: monthPeople.find((r) => r.bucket === m)?.n ?? 0,
      newBeneficiaries: firsts.get(m) ?? 0,
      newContracts: newContracts.get(m) ?? 0,
    })),
    exits,
  };
}

const monthStart = (m: string) => `${m}-01`;
const monthEnd = (m: string) => format(endOfMonth(parseISO(`${m}-01`)), 'yyyy-MM-dd');
const datesOf = (period: Period) => ({
  from: period.from ? monthStart(period.from) : undefined,
  to: period.to ? monthEnd(period.to) : undefined,
});

/** Contracts ended (end date passed) in the period, that had hours, by recorded outcome. */
async function exitsOf(ctx: AppContext, programmeId: number, d: string, period: Period) {
  const today = ctx.clock().toISOString().slice(0, 10);
  const rows = await store.rsaExitsByOutcome(ctx.db, programmeId, d, today, datesOf(period));
  const count = (o: string | null) => rows.find((r) => r.exit_outcome === o)?.n ?? 0;
  const byOutcome = [...EXIT_OUTCOMES, null].map((o) => ({
    outcome: o,
    label: EXIT_OUTCOME_LABELS[o ?? 'NON_RENSEIGNEE'],
    contracts: count(o),
  }));
  return { contracts: byOutcome.reduce((s, r) => s + r.contracts, 0), byOutcome };
}

export type RsaReport = Awaited<ReturnType<typeof rsaReport>>;
