import { ROLE_LABELS, type Actor } from '../accounts/actor.js';
import { formatHoursFr } from '../lib/hours.js';
import { escapeHtml as esc, formatIntFr, formatOneDecimalFr } from '../lib/html.js';
import { progressBar } from '../dashboard/charts.js';
import { figure, page } from './layout.js';
import type { espaceFigures } from './espace.service.js';

type Figures = Awaited<ReturnType<typeof espaceFigures>>;
const h = (hours: number) => formatHoursFr(Math.round(hours * 100));
const DEPARTEMENT_NAMES: Record<string, string> = { '59': 'Nord', '62': 'Pas-de-Calais' };

function binding(actor: Actor, f: Figures): string {
  if (actor.role === 'facilitator') return f.structure ? ` — ${f.structure.name}` : '';
  if (actor.role === 'contractor')
    return ` — ${actor.contractorSiret ? `SIRET ${actor.contractorSiret}` : `SIREN ${actor.contractorSiren}`}`;
  if (actor.role === 'departement')
    return ` — ${DEPARTEMENT_NAMES[actor.departementCode ?? ''] ?? ''} (${actor.departementCode})`;
  return '';
}

function scopeSection(actor: Actor, f: Figures): string {
  if (actor.role === 'departement') {
    const d = f.departement;
    if (!d) return '';
    return `<h2>Votre Département</h2><div class="figures">${figure(h(d.hours), 'réalisées dans les cités du Département')}${figure(formatIntFr(d.beneficiaries), 'bénéficiaires')}${figure(formatIntFr(d.rsaBeneficiaries), 'bénéficiaires du RSA')}</div>
<p class="muted">Le rapport RSA détaillé s’obtient par l’API avec votre jeton : GET /api/v1/reports/rsa?departement=${esc(actor.departementCode ?? '')}.</p>`;
  }
  const required = f.marches.reduce((s, m) => s + m.requiredCentihours, 0);
  const realised = f.marches.reduce((s, m) => s + m.realisedCentihours, 0);
  const title =
    actor.role === 'contractor'
      ? 'Vos marchés'
      : actor.role === 'facilitator'
        ? 'Les marchés de votre structure'
        : 'Tous les marchés';
  const rows = f.marches
    .slice(0, 50)
    .map(
      (m) =>
        `<tr><td>${esc(m.ref)}</td><td>${esc(m.title)}</td><td>${esc(m.cite)}</td><td class="num">${esc(formatHoursFr(m.requiredCentihours))}</td><td class="num">${esc(formatHoursFr(m.realisedCentihours))}</td></tr>`,
    )
    .join('');
  return `<h2>${title}</h2>
<div class="figures">${figure(formatIntFr(f.marches.length), f.marches.length > 1 ? 'marchés' : 'marché')}${figure(formatHoursFr(required), 'd’insertion exigées')}${figure(formatHoursFr(realised), 'réalisées')}</div>
${f.marches.length ? `<table><thead><tr><th>Marché</th><th>Objet</th><th>Cité</th><th class="num">Exigées</th><th class="num">Réalisées</th></tr></thead><tbody>${rows}</tbody></table>${f.marches.length > 50 ? `<p class="muted">Les 50 premiers marchés sur ${formatIntFr(f.marches.length)}.</p>` : ''}` : '<p class="muted">Aucun marché dans votre périmètre.</p>'}`;
}

export function renderEspace(actor: Actor, f: Figures, csrf: string): string {
  const p = f.progress;
  const nav = `<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${esc(csrf)}"><span class="muted">${esc(actor.name)}</span> <button type="submit">Se déconnecter</button></form>`;
  return page(
    'Mon espace',
    `<h1>Mon espace</h1>
<p class="muted">${esc(ROLE_LABELS[actor.role])}${esc(binding(actor, f))}</p>
<h2>Avancement du programme ${esc(p.programme.name)}</h2>
<p><strong>${esc(h(p.realisedHours))}</strong> réalisées sur ${esc(h(p.programme.targetHours))}, soit <strong>${formatOneDecimalFr(p.percentOfTarget)}&nbsp;%</strong> de l’objectif.</p>
${progressBar(p.realisedHours, p.programme.targetHours, `${formatOneDecimalFr(p.percentOfTarget)} % de l’objectif de ${formatIntFr(p.programme.targetHours)} h`)}
<div class="figures">${figure(formatIntFr(p.beneficiaries), p.beneficiaries > 1 ? 'bénéficiaires' : 'bénéficiaire')}${figure(formatIntFr(p.contracts), p.contracts > 1 ? 'contrats d’insertion' : 'contrat d’insertion')}</div>
${scopeSection(actor, f)}`,
    nav,
  );
}
