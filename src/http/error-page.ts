import { escapeHtml as esc } from '../lib/html.js';
import { page } from '../web/layout.js';

// The error pages of the browser side (paths outside /api): a French page, not JSON.
const TITLES: Record<number, string> = {
  400: 'Requête invalide',
  401: 'Connexion requise',
  403: 'Accès refusé',
  404: 'Page introuvable',
  409: 'Conflit',
  413: 'Envoi trop volumineux',
  415: 'Format non pris en charge',
  422: 'Données refusées',
  423: 'Compte bloqué',
  429: 'Trop de tentatives',
  500: 'Erreur interne',
};

export function renderErrorPage(status: number, message: string): string {
  const title = TITLES[status] ?? 'Erreur';
  return page(
    title,
    `<h1>${esc(title)}</h1>
<p>${esc(message)}</p>
<p><a href="/tableau-de-bord">Tableau de bord du programme</a> · <a href="/espace">Mon espace</a></p>`,
  );
}
