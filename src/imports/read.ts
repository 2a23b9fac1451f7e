import { Readable } from 'node:stream';
import { CsvFileError, readCsv, type CsvRow, type ReadInfo, type RowError } from './csv.js';
import { readXlsx, type ColumnKind } from './xlsx.js';
import { breathe } from '../lib/breathe.js';

// One entry for both file formats: the first bytes tell a workbook (.xlsx is a zip archive,
// "PK\x03\x04") from a CSV file, whatever the file's name or the request's Content-Type.

export type { ColumnKind } from './xlsx.js';
export type { ReadInfo } from './csv.js';

/** The columns of an import: those required, and what each holds (to read typed cells). */
export interface TableSpec {
  required: readonly string[];
  kinds: Record<string, ColumnKind>;
}

const ZIP = [0x50, 0x4b, 0x03, 0x04];

export const isXlsxBytes = (b: Buffer) => ZIP.every((x, i) => b[i] === x);

/**
 * An uploaded file (held in memory: the API's body, the /imports page's form) as a stream of
 * 64 KiB slices, pausing between them when reading has held the thread long enough: a 20 MB
 * file read in one go blocked every other request.
 */
export function uploadedFile(body: Buffer): Readable {
  return Readable.from(
    (async function* () {
      for (let i = 0; i < body.length; i += 65_536) {
        yield body.subarray(i, i + 65_536);
        await breathe();
      }
    })(),
  );
}

/**
 * Reads an import file (CSV or XLSX) from a stream, row by row. onChunk sees the raw bytes
 * (progress, file hash); `info` says what was found (format, encoding), even when the file
 * is refused. Throws CsvFileError for problems that concern the whole file.
 */
export async function readTable(
  source: Readable,
  spec: TableSpec,
  onRow: (row: CsvRow) => void,
  onChunk: ((chunk: Buffer) => void) | undefined,
  info: ReadInfo,
): Promise<{ rows: number }> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  // Enough bytes to recognise the format (a stream may come in tiny chunks).
  const head: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size < ZIP.length) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    onChunk?.(chunk);
    head.push(chunk);
    size += chunk.length;
  }
  const rest = Readable.from(
    (async function* () {
      try {
        yield* head;
        if (ended) return;
        for (let n = await it.next(); !n.done; n = await it.next()) {
          onChunk?.(n.value);
          yield n.value;
        }
      } finally {
        // A refused file stops early: close the source (a file descriptor in the CLI).
        if (!ended) await it.return?.();
      }
    })(),
    { objectMode: false },
  );
  if (isXlsxBytes(Buffer.concat(head))) {
    info.format = 'xlsx';
    return readXlsx(rest, spec.required, spec.kinds, onRow);
  }
  return readCsv(rest, spec.required, onRow, info);
}

/** Reads a whole file row by row; a refusal of the file itself (encoding, header…) is its errors. */
export async function readRows(
  source: Readable,
  spec: TableSpec,
  onRow: (row: CsvRow) => void,
  onChunk: ((chunk: Buffer) => void) | undefined,
  info: ReadInfo,
): Promise<RowError[]> {
  try {
    await readTable(source, spec, onRow, onChunk, info);
    return [];
  } catch (e) {
    if (!(e instanceof CsvFileError)) throw e;
    return e.errors;
  }
}
