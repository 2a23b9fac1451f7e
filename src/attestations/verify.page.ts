import { Router } from 'express';
import type { AppContext } from '../context.js';
import { AppError } from '../core/errors.js';
import { formatDateFr } from '../lib/dates.js';
import { hoursText, periodWords } from './views.js';
import { verifyAttestation, type PublicView } from './attestations.service.js';
import { formatIntFr } from '../lib/html.js';
import { withSession } from '../web/guard.js';
import { sendPage } from '../web/render.js';

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

/** The rows of the verification page: what the attestation states, as people read it. */
export function verifyRows(v: PublicView): Array<[string, string]> {
  const rows: Array<[string, string]> = [
    ['Type', v.kindLabel],
    ['Numéro', v.number],
    ['Délivrée le', formatDateFr(v.issueDate)],
    ['Délivrée par', v.issuer.signatory ? `${v.issuer.structure} (${v.issuer.signatory})` : v.issuer.structure],
    ['Programme', v.programme],
    ...figures(v),
  ];
  if (v.revokedAt) rows.push(['Révoquée le', formatDateFr(v.revokedAt)]);
  return rows;
}

export function verifyPageRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use('/verify', withSession(ctx));
  r.get('/verify/:code', async (req, res) => {
    try {
      const v = await verifyAttestation(ctx, req.params.code);
      sendPage(res, 'verify.njk', {
        title: `Attestation ${v.number} — ${v.statusLabel}`,
        found: true,
        valid: v.status === 'valid',
        rows: verifyRows(v),
      });
    } catch (e) {
      if (!(e instanceof AppError) || e.kind !== 'not_found') throw e;
      sendPage(res, 'verify.njk', { title: 'Attestation introuvable', found: false }, 404);
    }
  });
  return r;
}
