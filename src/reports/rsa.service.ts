import { endOfMonth, format, parseISO } from 'date-fns';
import type { AppContext } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { errors } from '../core/errors.js';
import { toHours } from '../lib/hours.js';
import { CONTRACT_TYPES } from '../core/fields.js';
import { EXIT_OUTCOMES, EXIT_OUTCOME_LABELS } from '../contracts/outcome.js';
import { CONTRACT_TYPE_LABELS } from './labels.js';
import { countsBy, hoursBy, type Period } from './rollups.query.js';
import { assertPeriod, programmeOrThrow } from './progress.service.js';

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
      firstMonths(ctx, id, d, period),
      hoursBy(db, id, 'rsaPayer', period, 'month', [d]),
    ]);
  const [newContracts, exits] = await Promise.all([contractStarts(ctx, id, d, period), exitsOf(ctx, id, d, period)]);
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

/** People whose first month with hours paid by the Département falls in each month. */
async function firstMonths(
  ctx: AppContext,
  programmeId: number,
  d: string,
  period: Period,
): Promise<Map<string, number>> {
  const q = ctx
    .db('report_counts')
    .where({ programme_id: programmeId, dim: 'rsaPayer', entity: 'p', key: d, prev: '' });
  if (period.from) q.where('month', '>=', period.from);
  if (period.to) q.where('month', '<=', period.to);
  const rows = await q.select('month').sum({ n: 'n' }).groupBy('month');
  return new Map(rows.filter((r: any) => Number(r.n) !== 0).map((r: any) => [r.month, Number(r.n)]));
}

function rsaContracts(ctx: AppContext, programmeId: number, d: string) {
  return ctx
    .db('contracts as c')
    .join('marches as m', 'm.id', 'c.marche_id')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .where({ 'ci.programme_id': programmeId, 'c.rsa_departement': d })
    .where('c.cat_rsa', true);
}

const monthStart = (m: string) => `${m}-01`;
const monthEnd = (m: string) => format(endOfMonth(parseISO(`${m}-01`)), 'yyyy-MM-dd');

/** RSA contracts of the Département starting in each month of the period. */
async function contractStarts(
  ctx: AppContext,
  programmeId: number,
  d: string,
  period: Period,
): Promise<Map<string, number>> {
  const q = rsaContracts(ctx, programmeId, d);
  if (period.from) q.where('c.start_date', '>=', monthStart(period.from));
  if (period.to) q.where('c.start_date', '<=', monthEnd(period.to));
  const rows = await q
    .select(ctx.db.raw('substr(c.start_date, 1, 7) AS month'))
    .count({ n: '*' })
    .groupByRaw('substr(c.start_date, 1, 7)');
  return new Map(rows.map((r: any) => [r.month, Number(r.n)]));
}

/** Contracts ended (end date passed) in the period, that had hours, by recorded outcome. */
async function exitsOf(ctx: AppContext, programmeId: number, d: string, period: Period) {
  const today = ctx.clock().toISOString().slice(0, 10);
  const q = rsaContracts(ctx, programmeId, d)
    .where('c.end_date', '<', today)
    .whereExists(
      ctx
        .db('contract_months as cm')
        .whereRaw('cm.contract_id = c.id')
        .where('cm.centihours', '>', 0)
        .select(ctx.db.raw('1')),
    );
  if (period.from) q.where('c.end_date', '>=', monthStart(period.from));
  if (period.to) q.where('c.end_date', '<=', monthEnd(period.to));
  const rows = await q.select('c.exit_outcome').count({ n: '*' }).groupBy('c.exit_outcome');
  const count = (o: string | null) => Number(rows.find((r: any) => (r.exit_outcome ?? null) === o)?.n ?? 0);
  const byOutcome = [...EXIT_OUTCOMES, null].map((o) => ({
    outcome: o,
    label: EXIT_OUTCOME_LABELS[o ?? 'NON_RENSEIGNEE'],
    contracts: count(o),
  }));
  return { contracts: byOutcome.reduce((s, r) => s + r.contracts, 0), byOutcome };
}

export type RsaReport = Awaited<ReturnType<typeof rsaReport>>;
