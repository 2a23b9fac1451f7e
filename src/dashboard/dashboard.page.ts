import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { monthField } from '../core/fields.js';
import { formatHoursFr } from '../lib/hours.js';
import { formatIntFr, formatMonthFr } from '../lib/html.js';
import { progress } from '../reports/progress.service.js';
import { MIN_PERSONS, publishable } from '../reports/disclosure.js';
import { barChart, columnChart } from '../web/charts.js';
import { DEPARTEMENT_NAMES, withSession } from '../web/guard.js';
import { sendPage } from '../web/render.js';

// GET /tableau-de-bord: the public picture of the programme (programme totals are public).
// Server-rendered, no script; figures come from the same service as GET /api/v1/progress,
// so the page and the API never disagree.

const query = z.object({
  from: monthField.optional().or(z.literal('').transform(() => undefined)),
  to: monthField.optional().or(z.literal('').transform(() => undefined)),
});
const hours = (h: number) => formatHoursFr(Math.round(h * 100));

function periodText(from?: string, to?: string): string {
  if (from && to) return `de ${formatMonthFr(from)} à ${formatMonthFr(to)}`;
  if (from) return `depuis ${formatMonthFr(from)}`;
  if (to) return `jusqu’à ${formatMonthFr(to)}`;
  return 'depuis le début du programme';
}

export function dashboardRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use('/tableau-de-bord', withSession(ctx));
  r.get('/tableau-de-bord', async (req, res) => {
    const q = query.safeParse(req.query);
    const period = q.success ? { from: q.data.from, to: q.data.to } : {};
    let error = q.success ? undefined : 'Période invalide : saisissez les mois au format mm/aaaa.';
    if (!error && period.from && period.to && period.from > period.to)
      error = 'Le mois de début est après le mois de fin.';
    const shown = error ? {} : period;
    const p = await progress(ctx, 'erbm', shown);
    const withHours = p.byCite
      .filter((c) => c.hours > 0)
      .sort((a, b) => b.hours - a.hours || a.code.localeCompare(b.code));
    sendPage(
      res,
      'dashboard.njk',
      {
        title: `Tableau de bord — ${p.programme.name}`,
        p,
        error,
        periodText: periodText(shown.from, shown.to),
        fromText: shown.from ? formatMonthFr(shown.from) : '',
        toText: shown.to ? formatMonthFr(shown.to) : '',
        depNames: DEPARTEMENT_NAMES,
        years: columnChart(
          p.byYear.map((y) => ({
            label: String(y.year),
            value: y.hours,
            text: `${formatIntFr(Math.round(y.hours))} h`,
          })),
          'Heures réalisées par année',
        ),
        cites: barChart(
          withHours.map((c) => ({ label: c.name, value: c.hours, text: hours(c.hours) })),
          'Heures réalisées par cité',
        ),
        idle: p.byCite.length - withHours.length,
        minPersons: MIN_PERSONS,
        masked: { rsa: !publishable(p.rsa.beneficiaries), jeune: !publishable(p.jeune.beneficiaries) },
      },
      error ? 400 : 200,
    );
  });
  return r;
}
