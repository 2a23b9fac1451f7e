import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { departementField, monthField, refField } from '../core/fields.js';
import { KINDS } from './facts.js';
import * as service from './attestations.service.js';

export const issueBody = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('clause'), marcheRef: refField }),
    z.object({ kind: z.literal('participant'), participantRef: refField }),
    z.object({ kind: z.literal('rsa'), departement: departementField, from: monthField, to: monthField }),
  ],
  { error: 'Type d’attestation inconnu (clause, participant ou rsa).' },
);

const listQuery = z.object({
  kind: z.enum(KINDS, { error: 'Type d’attestation inconnu (clause, participant ou rsa).' }).optional(),
  status: z.enum(['valid', 'revoked'], { error: 'Statut inconnu (valid ou revoked).' }).optional(),
});

export const revokeBody = z.object({
  reason: z
    .string({ error: 'Motif de révocation obligatoire.' })
    .trim()
    .min(3, 'Motif de révocation trop court.')
    .max(500, 'Motif trop long (500 caractères au plus).'),
});

const numberParam = z.string().regex(/^ATT-\d{4}-\d{6}$/, 'Numéro d’attestation invalide (ATT-aaaa-nnnnnn).');

export function attestationsRoutes(ctx: AppContext): Router {
  const r = Router();
  // Public (no token): the JSON twin of the /verify/:code page.
  r.get('/attestations/verify/:code', async (req, res) => {
    res.json(await service.verifyAttestation(ctx, req.params.code));
  });
  r.post('/attestations', async (req, res) => {
    const actor = requireActor(req);
    res.status(201).json(await service.issueAttestation(ctx, actor, parse(issueBody, req.body ?? {})));
  });
  r.get('/attestations', async (req, res) => {
    const actor = requireActor(req);
    res.json({ items: await service.listAttestations(ctx, actor, parse(listQuery, req.query)) });
  });
  r.get('/attestations/:number.pdf', async (req, res) => {
    const actor = requireActor(req);
    const number = parse(numberParam, req.params.number);
    const pdf = await service.attestationPdf(ctx, actor, number);
    res.type('application/pdf').set('Content-Disposition', `inline; filename="${number}.pdf"`).send(pdf);
  });
  r.get('/attestations/:number', async (req, res) => {
    const actor = requireActor(req);
    res.json(await service.getAttestation(ctx, actor, parse(numberParam, req.params.number)));
  });
  r.post('/attestations/:number/revoke', async (req, res) => {
    const actor = requireActor(req);
    const number = parse(numberParam, req.params.number);
    const { reason } = parse(revokeBody, req.body ?? {});
    res.json(await service.revokeAttestation(ctx, actor, number, reason));
  });
  return r;
}
