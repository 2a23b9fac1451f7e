import { differenceInCalendarDays, parseISO } from 'date-fns';
import type { AppContext } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { errors } from '../core/errors.js';
import { toHours } from '../lib/hours.js';
import * as store from './reports.store.js';
import type { ComplianceMarcheRow } from './reports.store.js';
import { percentOneDecimal } from './progress.service.js';

// Compliance of a marché's insertion clause (docs/rules.md): realised = hours of its
// contracts; remaining = max(0, required - realised); status by the linear pace.

export const STATUS_LABELS = { completed: 'Clause réalisée', on_track: 'Dans les temps', late: 'En retard' } as const;
export type ComplianceStatus = keyof typeof STATUS_LABELS;

/** Share of a marché's duration elapsed on a date, between 0 and 1 (days, both ends counted). */
export function elapsedShare(start: string, end: string, today: string): number {
  if (today < start) return 0;
  if (today >= end) return 1;
  const total = differenceInCalendarDays(parseISO(end), parseISO(start)) + 1;
  return (differenceInCalendarDays(parseISO(today), parseISO(start)) + 1) / total;
}

export interface Figures {
  required: number;
  realised: number;
  expected: number;
  forecast: number;
}

export function statusOf(f: Pick<Figures, 'required' | 'realised' | 'expected'>): ComplianceStatus {
  if (f.realised >= f.required) return 'completed';
  return f.realised >= f.expected ? 'on_track' : 'late';
}

/** Figures of one marché from its required hours, realised hours and dates, in centihours. */
export function figures(required: number, realised: number, start: string, end: string, today: string): Figures {
  const share = elapsedShare(start, end, today);
  return {
    required,
    realised,
    expected: Math.round(required * share),
    // The realised pace carried on to the end date; before the start nothing is known yet.
    forecast: share > 0 ? Math.round(realised / share) : realised,
  };
}

export function view(f: Figures) {
  const status = statusOf(f);
  return {
    requiredHours: toHours(f.required),
    realisedHours: toHours(f.realised),
    remainingHours: toHours(Math.max(0, f.required - f.realised)),
    percent: f.required > 0 ? percentOneDecimal(f.realised, f.required) : 100,
    status,
    statusLabel: STATUS_LABELS[status],
    expectedHoursToDate: toHours(f.expected),
    forecastHoursAtEnd: toHours(f.forecast),
  };
}

const today = (ctx: AppContext) => ctx.clock().toISOString().slice(0, 10);

function marcheCard(m: ComplianceMarcheRow) {
  return {
    ref: m.ref,
    title: m.title,
    cite: m.cite_code,
    contractor: { siret: m.contractor_siret, name: m.contractor_name },
    startDate: m.start_date,
    endDate: m.end_date,
  };
}

export async function marcheCompliance(ctx: AppContext, actor: Actor, ref: string) {
  const m = await store.visibleMarche(ctx.db, actor, ref);
  if (!m) throw errors.notFound('marche', ref);
  const realised = (await store.realisedByMarche(ctx.db, [m.id])).get(String(m.id)) ?? 0;
  const asOf = today(ctx);
  return {
    marche: marcheCard(m),
    asOf,
    ...view(figures(Number(m.required_centihours), realised, m.start_date, m.end_date, asOf)),
  };
}

/** A contractor's compliance across its marchés; `id` is a SIRET or a SIREN (every establishment). */
export async function contractorCompliance(ctx: AppContext, actor: Actor, id: string) {
  const compact = id.replace(/\s/g, '');
  if (!/^\d{9}(\d{5})?$/.test(compact))
    throw errors.validation([{ path: 'siret', message: 'SIRET (14 chiffres) ou SIREN (9 chiffres) attendu.' }]);
  const marches = await store.visibleMarchesOfContractor(ctx.db, actor, compact);
  if (!marches.length) throw errors.notFound('contractor', compact);
  const realised = await store.realisedByMarche(
    ctx.db,
    marches.map((m) => m.id),
  );
  const asOf = today(ctx);
  const each = marches.map((m) =>
    figures(Number(m.required_centihours), realised.get(String(m.id)) ?? 0, m.start_date, m.end_date, asOf),
  );
  const total = each.reduce(
    (s, f) => ({
      required: s.required + f.required,
      realised: s.realised + f.realised,
      expected: s.expected + f.expected,
      forecast: s.forecast + f.forecast,
    }),
    { required: 0, realised: 0, expected: 0, forecast: 0 },
  );
  return {
    contractor: { id: compact, name: marches[0].contractor_name },
    asOf,
    ...view(total),
    marches: marches.map((m, i) => ({ marche: marcheCard(m), ...view(each[i]!) })),
  };
}
