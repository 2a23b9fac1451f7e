import type { AppContext } from '../context.js';
import { errors } from '../core/errors.js';
import { toHours } from '../lib/hours.js';
import { findProgrammeByCode } from '../cites/cites.store.js';
import { citesOfProgramme, departementCodes } from './reports.store.js';
import { countsBy, hoursBy, type CountRow, type HoursRow, type Period } from './rollups/index.js';

/** Percent with one decimal, rounded half up, in integer arithmetic (no float drift). */
export function percentOneDecimal(part: number, whole: number): number {
  if (whole <= 0) return 0;
  const tenths = Math.floor((part * 2000 + whole) / (2 * whole));
  return tenths / 10;
}

export function assertPeriod(period: Period): void {
  if (period.from && period.to && period.from > period.to)
    throw errors.validation([{ path: 'from', message: 'Le mois de début est après le mois de fin.' }]);
}

export async function programmeOrThrow(ctx: AppContext, code: string) {
  const programme = await findProgrammeByCode(ctx.db, code);
  if (!programme) throw errors.notFound('programme', code);
  return programme;
}

const hoursMap = (rows: HoursRow[]) => new Map(rows.map((r) => [r.key, r.centihours]));
const countMap = (rows: CountRow[]) => new Map(rows.map((r) => [r.key, r.n]));

/** GET /api/v1/progress (docs/reports.md): public, programme-level figures only, from the rollups. */
export async function progress(ctx: AppContext, programmeCode: string, period: Period) {
  assertPeriod(period);
  const programme = await programmeOrThrow(ctx, programmeCode);
  const db = ctx.db;
  const id = programme.id;
  const [
    allHours,
    allPeople,
    allContracts,
    catHours,
    catPeople,
    depHours,
    depPeople,
    depRsa,
    citeHours,
    citePeople,
    years,
    cites,
    departements,
  ] = await Promise.all([
    hoursBy(db, id, 'all', period),
    countsBy(db, id, 'all', 'p', period),
    countsBy(db, id, 'all', 'c', period),
    hoursBy(db, id, 'category', period, 'none', ['RSA', 'JEUNE']),
    countsBy(db, id, 'category', 'p', period, 'none', ['RSA', 'JEUNE']),
    hoursBy(db, id, 'departement', period),
    countsBy(db, id, 'departement', 'p', period),
    countsBy(db, id, 'departementRsa', 'p', period),
    hoursBy(db, id, 'cite', period),
    countsBy(db, id, 'cite', 'p', period),
    hoursBy(db, id, 'all', period, 'year'),
    citesOfProgramme(db, id),
    departementCodes(db),
  ]);
  const target = Number(programme.target_centihours);
  const realised = allHours[0]?.centihours ?? 0;
  const [ch, dh, ih] = [catHours, depHours, citeHours].map(hoursMap);
  const [cp, dp, dr, ip] = [catPeople, depPeople, depRsa, citePeople].map(countMap);
  return {
    programme: { code: programme.code, name: programme.name, targetHours: toHours(target) },
    realisedHours: toHours(realised),
    percentOfTarget: percentOneDecimal(realised, target),
    beneficiaries: allPeople[0]?.n ?? 0,
    contracts: allContracts[0]?.n ?? 0,
    rsa: { hours: toHours(ch.get('RSA') ?? 0), beneficiaries: cp.get('RSA') ?? 0 },
    jeune: { hours: toHours(ch.get('JEUNE') ?? 0), beneficiaries: cp.get('JEUNE') ?? 0 },
    byDepartement: departements.map(({ code }) => ({
      code,
      hours: toHours(dh.get(code) ?? 0),
      beneficiaries: dp.get(code) ?? 0,
      rsaBeneficiaries: dr.get(code) ?? 0,
    })),
    byCite: cites.map((c) => ({
      code: c.code,
      name: c.name,
      hours: toHours(ih.get(String(c.id)) ?? 0),
      beneficiaries: ip.get(String(c.id)) ?? 0,
    })),
    // report_hours rows exist only where entries exist: these are the years with entries.
    byYear: years
      .sort((a, b) => a.bucket.localeCompare(b.bucket))
      .map((r) => ({ year: Number(r.bucket), hours: toHours(r.centihours) })),
  };
}
