import { isUtf8 } from 'node:buffer';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse as csvParse, CsvError } from 'csv-parse';

// Streaming reader of the CSV files of DESIGN.md 5.3: semicolons, UTF-8 with or without BOM,
// CRLF or LF, quoted fields, header names in any order, extra columns ignored. The file is
// never held whole as one string: bytes go through a UTF-8 check, then csv-parse, row by row.

export interface RowError {
  line: number;
  column: string;
  message: string;
}

/** A data row: its line (header = 1) and its cells by header name. */
export interface CsvRow {
  line: number;
  get(column: string): string;
}

/** A file-level problem (encoding, header, syntax): the import stops there. */
export class CsvFileError extends Error {
  constructor(readonly errors: RowError[]) {
    super(errors[0]?.message ?? 'Fichier CSV illisible.');
  }
}

/** A row of only empty or blank cells (an empty line, or ";;;" left by a spreadsheet). */
function isBlank(record: string[]): boolean {
  for (const c of record) if (c.trim() !== '') return false;
  return true;
}

class Row implements CsvRow {
  constructor(
    readonly line: number,
    private readonly record: string[],
    private readonly index: Map<string, number>,
  ) {}
  get(column: string): string {
    return this.record[this.index.get(column) ?? -1] ?? '';
  }
}

const normaliseHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

/** Length of the part of a buffer that ends on a whole UTF-8 character (the rest waits). */
function wholeCharsLength(b: Buffer): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const byte = b[b.length - back];
    if ((byte & 0xc0) !== 0x80) {
      // A lead byte: complete if the sequence it starts fits in what remains.
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      return need <= back ? b.length : b.length - back;
    }
  }
  return b.length;
}

/**
 * Refuses bytes that are not UTF-8 (e.g. a Windows-1252 export), naming the line. The bytes
 * pass on unchanged (csv-parse works on bytes): checking costs no decoding.
 */
function utf8Check(): Transform {
  let lines = 1;
  let carry: Buffer = Buffer.alloc(0);
  const fail = (chunk: Buffer) => {
    const loose = chunk.toString('utf8');
    const before = loose.slice(0, Math.max(0, loose.indexOf('\uFFFD')));
    const line = lines + (before.match(/\n/g)?.length ?? 0);
    return new CsvFileError([
      {
        line,
        column: '',
        message: `Le fichier n’est pas encodé en UTF-8 (ligne ${line}) : enregistrez-le en « CSV UTF-8 » depuis votre tableur.`,
      },
    ]);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const b = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const n = wholeCharsLength(b);
      const whole = b.subarray(0, n);
      carry = Buffer.from(b.subarray(n));
      if (!isUtf8(whole)) return done(fail(whole));
      for (let i = whole.indexOf(10); i !== -1; i = whole.indexOf(10, i + 1)) lines++;
      done(null, whole);
    },
    flush(done) {
      if (carry.length) return done(fail(carry));
      done();
    },
  });
}

/**
 * Reads a CSV stream, checks that the header has every required column, and calls onRow for
 * each data row (synchronously, so rows are handled one at a time). onChunk sees the raw bytes
 * (progress, file hash).
 * Throws CsvFileError for problems that concern the whole file.
 */
export async function readCsv(
  source: Readable,
  required: readonly string[],
  onRow: (row: CsvRow) => void,
  onChunk?: (chunk: Buffer) => void,
): Promise<{ rows: number }> {
  if (onChunk) source.on('data', onChunk);
  // No `info` option (it more than doubles csv-parse's time): lines are counted here, one
  // per record plus the line breaks inside quoted cells; empty lines arrive as [''] records.
  const parser = csvParse({ delimiter: ';', bom: true, relax_column_count: true });
  let index: Map<string, number> | null = null;
  let rows = 0;
  let line = 0;
  const sink = new Writable({
    objectMode: true,
    highWaterMark: 256,
    write(record: string[], _enc, done) {
      try {
        line++;
        const start = line;
        for (let i = 0; i < record.length; i++) {
          const cell = record[i];
          if (cell.includes('\n')) line += cell.split('\n').length - 1;
        }
        if (isBlank(record)) return done();
        if (!index) {
          index = new Map(record.map((h, i) => [normaliseHeader(h), i] as const).reverse());
          const missing = required.filter((c) => !index!.has(c));
          if (missing.length)
            throw new CsvFileError(
              missing.map((c) => ({
                line: start,
                column: c,
                message: `Colonne « ${c} » absente de l’en-tête (colonnes attendues : ${required.join(';')}).`,
              })),
            );
        } else {
          rows++;
          onRow(new Row(start, record, index));
        }
        done();
      } catch (e) {
        done(e as Error);
      }
    },
  });
  try {
    await pipeline(source, utf8Check(), parser, sink);
  } catch (e) {
    if (e instanceof CsvFileError) throw e;
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines ?? 0;
      throw new CsvFileError([
        { line, column: '', message: `Fichier CSV mal formé à la ligne ${line} : ${csvMessage(e)}` },
      ]);
    }
    throw e;
  }
  if (!index)
    throw new CsvFileError([
      {
        line: 1,
        column: '',
        message: 'Le fichier est vide : il faut au moins la ligne d’en-tête et une ligne de données.',
      },
    ]);
  if (rows === 0)
    throw new CsvFileError([
      { line: 2, column: '', message: 'Le fichier ne contient aucune ligne de données après l’en-tête.' },
    ]);
  return { rows };
}

function csvMessage(e: CsvError): string {
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'un guillemet ouvert n’est jamais fermé.';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'caractère inattendu après un guillemet fermant.';
    default:
      return 'vérifiez les guillemets et les points-virgules.';
  }
}
