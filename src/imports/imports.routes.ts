import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { errors } from '../core/errors.js';
import { parse } from '../core/validate.js';
import { assertWriter } from '../accounts/policy.js';
import { importHours } from './hours.service.js';
import { importMarches } from './marches.service.js';
import { listImports, type ImportOutcome, type ImportSource } from './imports.service.js';
import { uploadedFile } from './read.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
// A workbook is recognised by its first bytes, so a generic binary type is accepted too.
const FILE_TYPES = ['text/csv', 'text/plain', 'application/csv', XLSX_TYPE, 'application/octet-stream'];
const FILE_TYPE_RE = new RegExp(`^\\s*(${FILE_TYPES.map((t) => t.replace(/[./]/g, '\\$&')).join('|')})\\b`, 'i');
const LIMIT = '20mb';

// The body is read as bytes (not text): the reader finds the format (CSV or XLSX) and the
// encoding (UTF-8, or Windows-1252 as French Excel writes it) from the bytes themselves.
const rawCsv = express.raw({ type: FILE_TYPES, limit: LIMIT });

/** Writers only, then the CSV body; a body over the limit gets a hint to use the CLI. */
const csvBody: RequestHandler = (req, res, next) => {
  assertWriter(requireActor(req));
  rawCsv(req, res, (err?: Error & { type?: string }) => {
    if (err?.type === 'entity.too.large')
      return next(
        errors.tooLarge(
          `Les imports par l’API sont limités à 20 Mo : pour un fichier plus gros, utilisez la ligne de commande ` +
            `(npm run cli -- import hours FICHIER --apply).`,
        ),
      );
    if (err) return next(err);
    // An empty body is not parsed: it is an empty file, refused later with its own message.
    if (!Buffer.isBuffer(req.body) && FILE_TYPE_RE.test(req.get('content-type') ?? '')) req.body = Buffer.alloc(0);
    if (!Buffer.isBuffer(req.body))
      return next(
        errors.unsupportedMediaType(
          `Envoyez le fichier en corps de requête avec l’en-tête Content-Type: text/csv (fichier CSV) ou ` +
            `${XLSX_TYPE} (classeur .xlsx).`,
        ),
      );
    next();
  });
};

const query = z.object({
  dryRun: z.enum(['true', 'false'], { error: 'dryRun vaut true ou false.' }).default('true'),
  fileName: z.string().max(300).optional(),
});

const send = (res: express.Response, out: ImportOutcome) => {
  res.set('Import-Id', String(out.importId));
  res.status(out.errorCount ? 422 : 200).json(out.result);
};

export function importsRoutes(ctx: AppContext): Router {
  const r = Router();
  const source = (req: express.Request, fileName?: string): ImportSource => ({
    stream: uploadedFile(req.body as Buffer),
    fileName: fileName ?? null,
    via: 'api',
  });
  r.post('/imports/marches', csvBody, async (req, res) => {
    const q = parse(query, req.query);
    send(res, await importMarches(ctx, requireActor(req), source(req, q.fileName), { dryRun: q.dryRun === 'true' }));
  });
  r.post('/imports/hours', csvBody, async (req, res) => {
    const q = parse(query, req.query);
    send(res, await importHours(ctx, requireActor(req), source(req, q.fileName), { dryRun: q.dryRun === 'true' }));
  });
  r.get('/imports', async (req, res) => {
    const q = parse(z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }), req.query);
    res.json({ items: await listImports(ctx, requireActor(req), q.limit) });
  });
  return r;
}
