import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { monthField } from '../core/fields.js';
import { formatHoursFr } from '../lib/hours.js';
import { escapeHtml as esc, formatIntFr, formatMonthFr, formatOneDecimalFr, plural } from '../lib/html.js';
import { progress } from '../reports/progress.service.js';
import { MIN_PERSONS, publishable } from '../reports/disclosure.js';
import { barChart, columnChart, progressBar } from './charts.js';

// GET /tableau-de-bord: the public picture of the programme (DESIGN.md section 2: programme
// totals are public). Server-rendered, no script; figures come from the same service as
// GET /api/v1/progress, so the page and the API never disagree.

const query = z.object({
  from: monthField.optional().or(z.literal('').transform(() => undefined)),
  to: monthField.optional().or(z.literal('').transform(() => undefined)),
});
const hours = (h: number) => formatHoursFr(Math.round(h * 100));
const DEPARTEMENT_NAMES: Record<string, string> = { '59': 'Nord', '62': 'Pas-de-Calais' };

type Progress = Awaited<ReturnType<typeof progress>>;

function periodText(from?: string, to?: string): string {
  if (from && to) return `de ${formatMonthFr(from)} à ${formatMonthFr(to)}`;
  if (from) return `depuis ${formatMonthFr(from)}`;
  if (to) return `jusqu’à ${formatMonthFr(to)}`;
  return 'depuis le début du programme';
}

function figure(value: string, label: string): string {
  return `<div class="figure"><strong>${esc(value)}</strong><span>${esc(label)}</span></div>`;
}

// Figures about a category of people (RSA, young people) describing 1 or 2 persons would point
// at someone: the public page masks them, as the breakdowns do (docs/reports.md).
const MASKED = '<abbr title="moins de 3 personnes : chiffre masqué">masqué</abbr>';

function groupFigure(g: { hours: number; beneficiaries: number }, one: string, many: string, what: string): string {
  if (publishable(g.beneficiaries)) return figure(hours(g.hours), `pour ${plural(g.beneficiaries, one, many)} ${what}`);
  return figure('—', `moins de ${MIN_PERSONS} ${many} ${what} : chiffre masqué`);
}

export function renderDashboard(p: Progress, period: { from?: string; to?: string }, error?: string): string {
  const withHours = p.byCite
    .filter((c) => c.hours > 0)
    .sort((a, b) => b.hours - a.hours || a.code.localeCompare(b.code));
  const idle = p.byCite.length - withHours.length;
  const years = p.byYear.map((y) => ({
    label: String(y.year),
    value: y.hours,
    text: `${formatIntFr(Math.round(y.hours))} h`,
  }));
  const cites = withHours.map((c) => ({ label: c.name, value: c.hours, text: hours(c.hours) }));
  const deps = p.byDepartement
    .map(
      (d) =>
        `<tr><td>${esc(DEPARTEMENT_NAMES[d.code] ?? d.code)} (${esc(d.code)})</td><td class="num">${esc(hours(d.hours))}</td><td class="num">${formatIntFr(d.beneficiaries)}</td><td class="num">${publishable(d.rsaBeneficiaries) ? formatIntFr(d.rsaBeneficiaries) : MASKED}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tableau de bord — ${esc(p.programme.name)}</title>
<style>
body{font-family:system-ui,"DejaVu Sans",sans-serif;max-width:60rem;margin:1.5rem auto;padding:0 1rem;color:#1e1e1e}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
.lead{font-size:1.25rem}.lead strong{color:#000091}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:1rem;margin:1rem 0}
.figure{border:1px solid #ddd;border-radius:6px;padding:.8rem}.figure strong{display:block;font-size:1.5rem;color:#000091}
table{border-collapse:collapse;width:100%}td,th{padding:.35rem .6rem;border-bottom:1px solid #eee;text-align:left}.num{text-align:right}
form{display:flex;gap:.8rem;align-items:end;flex-wrap:wrap}label{display:flex;flex-direction:column;font-size:.9rem}
.error{background:#ffe9e9;color:#ce0500;padding:.6rem;border-radius:4px}.muted{color:#666}
</style></head><body>
<header><h1>Clauses sociales d’insertion — ${esc(p.programme.name)}</h1>
<p class="muted">Heures d’insertion réalisées sur les chantiers de réhabilitation des cités minières, ${esc(periodText(period.from, period.to))}.</p></header>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="get" action="/tableau-de-bord">
<label>Du mois (mm/aaaa)<input name="from" value="${esc(period.from ? formatMonthFr(period.from) : '')}" placeholder="01/2019"></label>
<label>Au mois (mm/aaaa)<input name="to" value="${esc(period.to ? formatMonthFr(period.to) : '')}" placeholder="12/2024"></label>
<button type="submit">Afficher</button></form>
<section aria-labelledby="avancement"><h2 id="avancement">Avancement vers l’objectif</h2>
<p class="lead"><strong>${esc(hours(p.realisedHours))}</strong> réalisées sur ${esc(hours(p.programme.targetHours))}, soit <strong>${formatOneDecimalFr(p.percentOfTarget)}&nbsp;%</strong> de l’objectif.</p>
${progressBar(p.realisedHours, p.programme.targetHours, `${formatOneDecimalFr(p.percentOfTarget)} % de l’objectif`)}
<div class="figures">
${figure(formatIntFr(p.beneficiaries), p.beneficiaries > 1 ? 'bénéficiaires' : 'bénéficiaire')}
${figure(formatIntFr(p.contracts), p.contracts > 1 ? 'contrats d’insertion' : 'contrat d’insertion')}
${groupFigure(p.rsa, 'bénéficiaire', 'bénéficiaires', 'du RSA')}
${groupFigure(p.jeune, 'jeune', 'jeunes', 'de moins de 26 ans')}
</div></section>
<section aria-labelledby="annees"><h2 id="annees">Heures par année</h2>${columnChart(years, 'Heures réalisées par année')}</section>
<section aria-labelledby="departements"><h2 id="departements">Par Département</h2>
<table><thead><tr><th>Département</th><th class="num">Heures</th><th class="num">Bénéficiaires</th><th class="num">dont RSA</th></tr></thead><tbody>${deps}</tbody></table></section>
<section aria-labelledby="cites"><h2 id="cites">Par cité</h2>
${cites.length ? barChart(cites, 'Heures réalisées par cité') : '<p class="empty">Aucune heure enregistrée pour l’instant.</p>'}
${idle ? `<p class="muted">${plural(idle, 'cité', 'cités')} sans heure enregistrée sur la période.</p>` : ''}</section>
<footer class="muted"><p>Chiffres publics du programme, sans donnée personnelle. Données : <a href="/api/v1/progress">/api/v1/progress</a>.</p></footer>
</body></html>`;
}

export function dashboardRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/tableau-de-bord', async (req, res) => {
    const q = query.safeParse(req.query);
    const period = q.success ? { from: q.data.from, to: q.data.to } : {};
    let error = q.success ? undefined : 'Période invalide : saisissez les mois au format mm/aaaa.';
    if (!error && period.from && period.to && period.from > period.to)
      error = 'Le mois de début est après le mois de fin.';
    const shown = error ? {} : period;
    const p = await progress(ctx, 'erbm', shown);
    res
      .status(error ? 400 : 200)
      .type('html')
      .send(renderDashboard(p, shown, error));
  });
  return r;
}
