import busboy from 'busboy';
import type { Request } from 'express';
import { errors } from '../core/errors.js';

// multipart/form-data of the /imports form: its fields and one file, kept in memory (the
// web path is capped like the API's; bigger files go through the command line).
export const UPLOAD_LIMIT = 20 * 1024 * 1024;

export interface Upload {
  fields: Record<string, string>;
  file: { name: string | null; content: Buffer } | null;
}

export function readUpload(req: Request): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { fileSize: UPLOAD_LIMIT, files: 1, fields: 20 } });
    } catch {
      return reject(errors.invalidInput('Formulaire invalide : envoyez le fichier avec le formulaire de la page.'));
    }
    const fields: Record<string, string> = {};
    let file: Upload['file'] = null;
    let tooBig = false;
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        tooBig = true;
      });
      stream.on('end', () => {
        file = { name: info.filename || null, content: Buffer.concat(chunks) };
      });
    });
    bb.on('error', () => reject(errors.invalidInput('Le fichier n’a pas pu être lu : envoyez-le à nouveau.')));
    bb.on('close', () => {
      if (tooBig)
        return reject(
          errors.tooLarge(
            'Les imports par le navigateur sont limités à 20 Mo : pour un fichier plus gros, utilisez la ligne de ' +
              'commande (npm run cli -- import hours FICHIER --apply).',
          ),
        );
      resolve({ fields, file });
    });
    req.pipe(bb);
  });
}
