import { Router } from 'express';
import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { formatDateFr } from '../lib/dates.js';
import { verifyAttestation, type PublicView } from './attestations.service.js';
import { escapeHtml as esc, formatIntFr } from '../lib/html.js';
import { hoursText, periodWords } from './views.js';

// GET /verify/:code — the public page a QR code opens. No token, no personal data beyond
// what the attestation shows, and the same 404 page for any unknown code.

const hours = (h: number) => hoursText(Math.round(h * 100));

function figures(v: PublicView): Array<[string, string]> {
  if ('clause' in v) {
    const c = v.clause;
    return [
      ['Marché', `${c.marche.ref} — ${c.marche.title}`],
      ['Cité', c.cite],
      ['Entreprise', `${c.contractor.name} (SIRET ${c.contractor.siret})`],
      ['Heures exigées', hours(c.requiredHours)],
      ['Heures réalisées', hours(c.realisedHours)],
      ['Heures restantes', hours(c.remainingHours)],
      ['Clause', c.fulfilled ? 'réalisée' : 'non réalisée à la date de l’attestation'],
    ];
  }
  if ('participant' in v) {
    const p = v.participant;
    return [
      ['Participant', `${p.initials ? p.initials + ' ' : ''}(référence ${p.ref})`],
      ['Heures travaillées', hours(p.hours)],
      ['Contrats', formatIntFr(p.contracts)],
    ];
  }
  const r = v.rsa;
  return [
    ['Département', `${r.departement.name} (${r.departement.code})`],
    ['Période', periodWords(r.period.from, r.period.to)],
    ['Heures d’insertion', hours(r.hours)],
    ['Bénéficiaires du RSA', formatIntFr(r.beneficiaries)],
    ['Contrats', formatIntFr(r.contracts)],
  ];
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1e1e1e}
.status{font-size:1.4rem;font-weight:bold;padding:.6rem 1rem;border-radius:4px}
.valid{background:#dffee6;color:#18753c}.revoked{background:#ffe9e9;color:#ce0500}
dl{display:grid;grid-template-columns:auto 1fr;gap:.4rem 1rem}dt{color:#5f5f5f}dd{margin:0}</style>
</head><body>${body}</body></html>`;
}

export function renderVerifyPage(v: PublicView): string {
  const rows: Array<[string, string]> = [
    ['Type', v.kindLabel],
    ['Numéro', v.number],
    ['Délivrée le', formatDateFr(v.issueDate)],
    ['Délivrée par', v.issuer.signatory ? `${v.issuer.structure} (${v.issuer.signatory})` : v.issuer.structure],
    ['Programme', v.programme],
    ...figures(v),
  ];
  if (v.revokedAt) rows.push(['Révoquée le', formatDateFr(v.revokedAt)]);
  const status =
    v.status === 'valid'
      ? '<p class="status valid">Attestation valide</p>'
      : '<p class="status revoked">Attestation révoquée : elle ne doit plus être utilisée.</p>';
  return page(
    `Attestation ${v.number} — ${v.statusLabel}`,
    `<h1>Vérification d’une attestation</h1>${status}
<dl>${rows.map(([k, val]) => `<dt>${esc(k)}</dt><dd>${esc(val)}</dd>`).join('')}</dl>`,
  );
}

export function verifyPageRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/verify/:code', async (req, res) => {
    try {
      const v = await verifyAttestation(ctx, req.params.code);
      res.set('Cache-Control', 'no-store').type('html').send(renderVerifyPage(v));
    } catch (e) {
      if (!(e instanceof AppError) || e.kind !== 'not_found') throw e;
      res
        .status(404)
        .type('html')
        .send(
          page(
            'Attestation introuvable',
            '<h1>Attestation introuvable</h1><p>Aucune attestation ne correspond à ce code de vérification. Vérifiez l’adresse ou scannez à nouveau le code QR.</p>',
          ),
        );
    }
  });
  return r;
}
