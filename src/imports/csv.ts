import { isAscii, isUtf8 } from 'node:buffer';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse as csvParse, CsvError } from 'csv-parse';

// Streaming reader of the CSV files of docs/imports.md: semicolons, UTF-8 with or without BOM
// or Windows-1252, CRLF or LF, quoted fields, header names in any order, extra columns
// ignored. The file is never held whole as one string: bytes go through an encoding check
// (and a Windows-1252 decoding when needed), then csv-parse, row by row.

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

export class Row implements CsvRow {
  constructor(
    readonly line: number,
    private readonly record: string[],
    private readonly index: Map<string, number>,
  ) {}
  get(column: string): string {
    return this.record[this.index.get(column) ?? -1] ?? '';
  }
}

export const normaliseHeader = (h: string) =>
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

/** Index of the first byte >= 0x80, or -1. */
function firstNonAscii(b: Buffer): number {
  for (let i = 0; i < b.length; i++) if (b[i] >= 0x80) return i;
  return -1;
}

/** True when the bytes at i start a well-formed UTF-8 sequence (checked by Node itself). */
function utf8SequenceAt(b: Buffer, i: number): boolean {
  const lead = b[i];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
  return need > 0 && i + need <= b.length && isUtf8(b.subarray(i, i + need));
}

// Windows-1252 is Latin-1 except for 0x80-0x9F, where it has printable characters (€, ’, œ…).
// Node 20's TextDecoder('windows-1252') decodes as Latin-1, so the table is here. The five
// bytes Windows-1252 leaves undefined keep their Latin-1 meaning (C1 controls), as browsers do.
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Windows-1252 bytes as UTF-8 bytes (a single-byte encoding: any chunk boundary is fine). */
export function cp1252ToUtf8(b: Buffer): Buffer {
  const text = b.toString('latin1').replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
  return Buffer.from(text, 'utf8');
}

const fileError = (line: number, message: string) => new CsvFileError([{ line, column: '', message }]);

export const REFUSED_TEXT =
  'enregistrez le fichier depuis votre tableur en « CSV UTF-8 », en « CSV (séparateur : point-virgule) » ou en classeur .xlsx.';

/** Files that are not text at all, told apart by their first bytes. */
function notTextMessage(first: Buffer): string | null {
  if ((first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff))
    return `Le fichier est encodé en UTF-16 (« Texte Unicode ») : ${REFUSED_TEXT}`;
  if (first[0] === 0xd0 && first[1] === 0xcf && first[2] === 0x11 && first[3] === 0xe0)
    return `Le fichier est un classeur Excel 97-2003 (.xls), qui n’est pas lu : ${REFUSED_TEXT}`;
  if (first.indexOf(0) !== -1) {
    // UTF-16 without its mark: of ASCII text, every other byte is zero (odd ones in little
    // endian, even ones in big endian), and the others are not.
    const zeros = [0, 0];
    const n = Math.min(first.length, 200) & ~1;
    for (let i = 0; i < n; i++) if (first[i] === 0) zeros[i & 1]++;
    const [even, odd] = zeros;
    const utf16 = n >= 4 && Math.max(even, odd) >= (n / 2) * 0.6 && Math.min(even, odd) === 0;
    return utf16
      ? `Le fichier semble encodé en UTF-16 (« Texte Unicode ») : ${REFUSED_TEXT}`
      : `Le fichier n’est pas un fichier texte (octets binaires) : ${REFUSED_TEXT}`;
  }
  return null;
}

/** What the reader found out about the file, for the import's answer. */
export interface ReadInfo {
  format: 'csv' | 'xlsx';
  /** null: the bytes are not text this reader reads (UTF-16, binary), or mix two encodings. */
  encoding: 'utf-8' | 'windows-1252' | null;
}

/**
 * Decodes the bytes of a CSV file into UTF-8 bytes for csv-parse. UTF-8 (with or without BOM)
 * passes unchanged: checking costs no decoding. Bytes that are not UTF-8 are read as
 * Windows-1252 (French Excel's « CSV (séparateur : point-virgule) »), provided nothing before
 * them was UTF-8 beyond ASCII (a file mixing both is refused, naming the line). UTF-16 and
 * binary files are refused. The first line goes to onHeaderLine (separator check).
 */
function decode(info: ReadInfo, onHeaderLine: (text: string) => CsvFileError | null): Transform {
  let lines = 1;
  let carry: Buffer = Buffer.alloc(0);
  // 'ascii': nothing beyond ASCII seen yet, so either encoding may still be the right one.
  let mode: 'ascii' | 'utf-8' | 'windows-1252' = 'ascii';
  let first = true;
  let head = '';
  let headDone = false;
  const pending: Buffer[] = [];
  const countLines = (b: Buffer) => {
    for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
  };
  const watchHead = (out: Buffer): CsvFileError | null => {
    if (headDone) return null;
    head += out.toString('utf8', 0, Math.min(out.length, 4096));
    for (;;) {
      const nl = head.indexOf('\n');
      if (nl === -1) {
        if (head.length < 65536) return null;
        headDone = true;
        return onHeaderLine(head);
      }
      const line = head.slice(0, nl).replace(/^\uFEFF/, '');
      if (line.trim() !== '' && line.replace(/[;,\t\s"]/g, '') !== '') {
        headDone = true;
        return onHeaderLine(line);
      }
      head = head.slice(nl + 1);
    }
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const isFirst = first;
      first = false;
      if (isFirst && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) mode = 'utf-8';
      // PostgreSQL refuses NUL in text: a NUL anywhere makes the file "not text".
      const notText = isFirst || chunk.indexOf(0) !== -1 ? notTextMessage(chunk) : null;
      if (notText) {
        info.encoding = null;
        return done(fileError(1, notText));
      }
      let out: Buffer;
      if (mode === 'windows-1252') out = cp1252ToUtf8(chunk);
      else {
        const b = carry.length ? Buffer.concat([carry, chunk]) : chunk;
        const n = wholeCharsLength(b);
        const whole = b.subarray(0, n);
        if (isUtf8(whole)) {
          carry = Buffer.from(b.subarray(n));
          if (mode === 'ascii' && !isAscii(whole)) mode = 'utf-8';
          out = whole;
        } else {
          const at = firstNonAscii(b);
          if (mode === 'utf-8' || utf8SequenceAt(b, at)) {
            const loose = whole.toString('utf8');
            const before = loose.slice(0, Math.max(0, loose.indexOf('\uFFFD')));
            const line = lines + (before.match(/\n/g)?.length ?? 0);
            info.encoding = null;
            return done(
              fileError(
                line,
                `Le fichier mélange deux encodages (UTF-8, puis autre chose à la ligne ${line}) : ${REFUSED_TEXT}`,
              ),
            );
          }
          mode = 'windows-1252';
          info.encoding = 'windows-1252';
          carry = Buffer.alloc(0);
          out = cp1252ToUtf8(b);
        }
      }
      countLines(out);
      const bad = watchHead(out);
      if (bad) return done(bad);
      // Nothing reaches csv-parse before the header line is checked: a quoted header with
      // commas would otherwise stop it with a quote error first.
      if (!headDone) {
        pending.push(out);
        return done();
      }
      if (pending.length) {
        pending.push(out);
        out = Buffer.concat(pending);
        pending.length = 0;
      }
      done(null, out);
    },
    flush(done) {
      if (carry.length) {
        // A file ending on a byte that would start a UTF-8 character: Windows-1252 if allowed.
        if (mode === 'utf-8')
          return done(fileError(lines, `Le fichier se termine par un caractère UTF-8 tronqué : ${REFUSED_TEXT}`));
        info.encoding = 'windows-1252';
        const out = cp1252ToUtf8(carry);
        const bad = watchHead(out);
        if (bad) return done(bad);
        pending.push(out);
      }
      if (!headDone && head) {
        headDone = true;
        const bad = onHeaderLine(head.replace(/^\uFEFF/, ''));
        if (bad) return done(bad);
      }
      if (pending.length) this.push(Buffer.concat(pending));
      done();
    },
  });
}

const SEPARATORS: Array<[string, string]> = [
  [',', 'des virgules (« , »)'],
  ['\t', 'des tabulations'],
  ['|', 'des barres verticales (« | »)'],
];

/**
 * A header written with another separator than the semicolon (a « CSV » saved with commas,
 * or a tab-separated export) would give one "missing column" error per column: one message
 * says what is wrong instead.
 */
export function separatorProblem(line: string, required: readonly string[]): CsvFileError | null {
  if (line.includes(';')) return null;
  for (const [sep, words] of SEPARATORS) {
    const names = new Set(line.split(sep).map((h) => normaliseHeader(h.replace(/"/g, ''))));
    const found = required.filter((c) => names.has(c)).length;
    if (names.size > 1 && found >= Math.min(2, required.length))
      return fileError(
        1,
        `Les colonnes sont séparées par ${words} et non par des points-virgules : enregistrez le fichier en « CSV (séparateur : point-virgule) » ou en classeur .xlsx (colonnes attendues : ${required.join(';')}).`,
      );
  }
  return null;
}

/** The header record: column index by name; every required column present, else CsvFileError. */
export function headerIndex(record: string[], line: number, required: readonly string[]): Map<string, number> {
  const index = new Map(record.map((h, i) => [normaliseHeader(h), i] as const).reverse());
  const missing = required.filter((c) => !index.has(c));
  if (missing.length) {
    const sep = record.length === 1 ? separatorProblem(record[0], required) : null;
    if (sep) throw sep;
    throw new CsvFileError(
      missing.map((c) => ({
        line,
        column: c,
        message: `Colonne « ${c} » absente de l’en-tête (colonnes attendues : ${required.join(';')}).`,
      })),
    );
  }
  return index;
}

/**
 * Reads a CSV stream, checks that the header has every required column, and calls onRow for
 * each data row (synchronously, so rows are handled one at a time). `info.encoding` tells
 * which encoding was found. Throws CsvFileError for problems that concern the whole file.
 */
export async function readCsv(
  source: Readable,
  required: readonly string[],
  onRow: (row: CsvRow) => void,
  info: ReadInfo = { format: 'csv', encoding: 'utf-8' },
): Promise<{ rows: number }> {
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
        if (!index) index = headerIndex(record, start, required);
        else {
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
    await pipeline(
      source,
      decode(info, (line) => separatorProblem(line, required)),
      parser,
      sink,
    );
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
  return { rows: finish(index, rows) };
}

/** The checks at the end of a file: a header and at least one data row. */
export function finish(index: unknown, rows: number): number {
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
  return rows;
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
