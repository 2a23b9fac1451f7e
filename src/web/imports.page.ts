import crypto from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import { errors } from '../core/errors.js';
import { importHours } from '../imports/hours.service.js';
import { listImports, type ImportOutcome } from '../imports/imports.service.js';
import { importMarches } from '../imports/marches.service.js';
import { uploadedFile } from '../imports/read.js';
import * as files from './checked-files.store.js';
import { actorOf, assertCsrf, csrfCheck } from './guard.js';
import { sendPage } from './render.js';
import { readUpload } from './upload.js';

// /imports: "Vérifier" runs the import as a dry run (the same service as the API) and keeps
// the checked file by its SHA-256; "Importer" applies exactly that file. Nothing is uploaded
// twice, and a file that was not checked cannot be applied.

const KINDS = { marches: 'Marchés', hours: 'Heures' } as const;
type Kind = keyof typeof KINDS;
const kindField = z.enum(['marches', 'hours'], { error: 'Choisissez le type de fichier : Marchés ou Heures.' });
const applyBody = z.object({ type: kindField, sha256: z.string().regex(/^[0-9a-f]{64}$/) });
const KEEP_HOURS = 24;

const run = (ctx: AppContext, actor: Actor, kind: Kind, content: Buffer, fileName: string | null, dryRun: boolean) =>
  (kind === 'marches' ? importMarches : importHours)(
    ctx,
    actor,
    { stream: uploadedFile(content), fileName, via: 'api' },
    { dryRun },
  );

async function show(
  ctx: AppContext,
  req: Request,
  res: Response,
  actor: Actor,
  o: {
    status?: number;
    checked?: { outcome: ImportOutcome; kind: Kind; sha256: string; fileName: string | null };
    formError?: Record<string, string>;
    kind?: string;
  } = {},
) {
  const history = await listImports(ctx, actor, 30);
  const appliedId = Number(req.query.importe);
  sendPage(
    res,
    'imports.njk',
    {
      title: o.checked ? 'Résultat de la vérification' : 'Imports',
      breadcrumbs: [{ href: '/espace', label: 'Accueil' }, { label: 'Imports' }],
      kinds: Object.entries(KINDS).map(([value, label]) => ({ value, label })),
      kindLabels: KINDS,
      kind: o.kind ?? o.checked?.kind ?? '',
      checked: o.checked,
      formError: o.formError ?? {},
      history,
      applied: appliedId ? history.find((h) => h.id === appliedId) : undefined,
    },
    o.status ?? 200,
  );
}

export function importsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/imports', async (req, res) => show(ctx, req, res, actorOf(req, 'admin', 'facilitator')));

  r.post('/imports/verifier', async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const up = await readUpload(req);
    assertCsrf(req, up.fields._csrf);
    const kind = kindField.safeParse(up.fields.type);
    const formError: Record<string, string> = {};
    if (!kind.success) formError.type = kind.error.issues[0]?.message ?? 'Type de fichier obligatoire.';
    const file = up.file?.content.length ? up.file : null;
    if (!file) formError.fichier = 'Choisissez un fichier CSV non vide.';
    if (!kind.success || !file) return show(ctx, req, res, actor, { status: 400, formError, kind: up.fields.type });
    const sha256 = crypto.createHash('sha256').update(file.content).digest('hex');
    const outcome = await run(ctx, actor, kind.data, file.content, file.name, true);
    if (!outcome.errorCount) {
      await files.forgetOldCheckedFiles(ctx.db, new Date(ctx.clock().getTime() - KEEP_HOURS * 3600_000).toISOString());
      await files.keepCheckedFile(
        ctx.db,
        actor.id,
        { sha256, kind: kind.data, fileName: file.name, content: file.content },
        nowIso(ctx),
      );
    }
    await show(ctx, req, res, actor, {
      status: outcome.errorCount ? 422 : 200,
      checked: { outcome, kind: kind.data, sha256, fileName: file.name },
    });
  });

  r.post('/imports/appliquer', express.urlencoded({ extended: false, limit: '10kb' }), csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const b = applyBody.safeParse(req.body ?? {});
    if (!b.success) throw errors.invalidInput('Fichier à importer non indiqué : vérifiez-le d’abord.');
    const f = await files.findCheckedFile(ctx.db, actor.id, b.data.sha256, b.data.type);
    if (!f)
      throw errors.invalidInput(
        'Ce fichier n’a pas été vérifié (ou l’a été il y a plus de 24 h) : vérifiez-le à nouveau.',
      );
    const outcome = await run(ctx, actor, b.data.type, f.content, f.fileName, false);
    if (outcome.errorCount)
      return show(ctx, req, res, actor, {
        status: 422,
        checked: { outcome, kind: b.data.type, sha256: f.sha256, fileName: f.fileName },
      });
    await files.forgetCheckedFile(ctx.db, actor.id, f.sha256, b.data.type);
    res.redirect(303, `/imports?importe=${outcome.importId}`);
  });
  return r;
}
