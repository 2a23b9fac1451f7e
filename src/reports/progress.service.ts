import type { AppContext } from '../context.js';
import { errors } from '../http/errors.js';
import { toHours } from '../lib/hours.js';
import { toNum } from '../db/rows.js';
import { findProgrammeByCode } from '../cites/cites.store.js';
import { aggregates as a, programmeMonths, type Period } from './progress.store.js';

/** Percent with one decimal, rounded half up, in integer arithmetic (no float drift). */
export function percentOneDecimal(part: number, whole: number): number {
  if (whole <= 0) return 0;
  const tenths = Math.floor((part * 2000 + whole) / (2 * whole));
  return tenths / 10;
}

/** GET /api/v1/progress (DESIGN.md 5.2): public, programme-level figures only. */
export async function progress(ctx: AppContext, programmeCode: string, period: Period) {
  if (period.from && period.to && period.from > period.to)
    throw errors.validation([{ path: 'from', message: 'Le mois de début est après le mois de fin.' }]);
  const programme = await findProgrammeByCode(ctx.db, programmeCode);
  if (!programme) throw errors.notFound(`Programme « ${programmeCode} »`);
  const base = () => programmeMonths(ctx.db, programme.id, period);

  const [totals, byDep, byCite, byYear, cites] = await Promise.all([
    base().select(ctx.db.raw([a.hours, a.beneficiaries, a.contracts, a.rsaHours, a.rsaBeneficiaries, a.jeuneHours, a.jeuneBeneficiaries].join(', '))).first(),
    base().groupBy('e.departement_code').select('e.departement_code as code', ctx.db.raw([a.hours, a.beneficiaries, a.rsaBeneficiaries].join(', '))),
    base().groupBy('ci.id').select('ci.id', ctx.db.raw([a.hours, a.beneficiaries].join(', '))),
    base().groupByRaw('substr(cm.month, 1, 4)').select(ctx.db.raw(`substr(cm.month, 1, 4) AS year, ${a.hours}`)).orderByRaw('substr(cm.month, 1, 4)'),
    ctx.db('cites').where('programme_id', programme.id).select('id', 'code', 'name').orderBy('code'),
  ]);
  const target = Number(programme.target_centihours);
  const realised = toNum(totals?.centihours);
  const citeRows = new Map(byCite.map((r: any) => [r.id, r]));
  const departements = await ctx.db('departements').select('code').orderBy('code');
  const depRows = new Map(byDep.map((r: any) => [r.code, r]));

  return {
    programme: { code: programme.code, name: programme.name, targetHours: toHours(target) },
    realisedHours: toHours(realised),
    percentOfTarget: percentOneDecimal(realised, target),
    beneficiaries: toNum(totals?.beneficiaries),
    contracts: toNum(totals?.contracts),
    rsa: { hours: toHours(toNum(totals?.rsa_centihours)), beneficiaries: toNum(totals?.rsa_beneficiaries) },
    jeune: { hours: toHours(toNum(totals?.jeune_centihours)), beneficiaries: toNum(totals?.jeune_beneficiaries) },
    byDepartement: departements.map(({ code }: any) => {
      const r: any = depRows.get(code);
      return { code, hours: toHours(toNum(r?.centihours)), beneficiaries: toNum(r?.beneficiaries), rsaBeneficiaries: toNum(r?.rsa_beneficiaries) };
    }),
    byCite: cites.map((c: any) => {
      const r: any = citeRows.get(c.id);
      return { code: c.code, name: c.name, hours: toHours(toNum(r?.centihours)), beneficiaries: toNum(r?.beneficiaries) };
    }),
    // contract_months rows exist only where entries exist: these are the years with entries.
    byYear: byYear.map((r: any) => ({ year: Number(r.year), hours: toHours(toNum(r.centihours)) })),
  };
}
