import { escapeHtml as esc } from '../lib/html.js';
import { page } from './layout.js';

/** The login form; `csrf` is the double-submit token also set in a cookie. */
export function renderLogin(o: { csrf: string; email?: string; error?: string; info?: string; next?: string }): string {
  return page(
    'Connexion',
    `<h1>Connexion</h1>
${o.error ? `<p class="error" role="alert">${esc(o.error)}</p>` : ''}${o.info ? `<p class="info" role="status">${esc(o.info)}</p>` : ''}
<form class="login" method="post" action="/login">
<input type="hidden" name="_csrf" value="${esc(o.csrf)}">
<label>Adresse électronique<input type="email" name="email" autocomplete="username" required value="${esc(o.email ?? '')}"></label>
<label>Mot de passe<input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Se connecter</button>
</form>
<p class="muted">Les comptes sont créés par l’équipe du programme. Après 5 essais infructueux, le compte est bloqué 15 minutes.</p>`,
  );
}
