import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CsvFileError, readCsv } from '../../src/imports/csv.js';
import { type ReadInfo, readTable, type TableSpec } from '../../src/imports/read.js';

// The CSV reader alone (no database): line numbers, blank lines, quotes, encodings.
async function read(text: string | Buffer, chunkSize = 7) {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunkSize) chunks.push(buf.subarray(i, i + chunkSize));
  const rows: Array<{ line: number; a: string; b: string }> = [];
  await readCsv(Readable.from(chunks), ['a', 'b'], (r) => rows.push({ line: r.line, a: r.get('a'), b: r.get('b') }));
  return rows;
}

describe('CSV reader', () => {
  it('numbers lines from the header, through blank lines and multi-line quoted cells', async () => {
    const rows = await read('\uFEFFB ; A ;extra\r\n1;2;x\r\n\r\n;;\r\n"multi\r\nligne";"é;è"\r\n3;4\r\n');
    expect(rows).toEqual([
      { line: 2, a: '2', b: '1' },
      { line: 5, a: 'é;è', b: 'multi\r\nligne' },
      { line: 7, a: '4', b: '3' },
    ]);
  });

  it('splits multi-byte characters across chunks without complaint, and refuses a file mixing encodings', async () => {
    expect((await read('a;b\nété;ça\n', 1))[0]).toEqual({ line: 2, a: 'été', b: 'ça' });
    const mixed = Buffer.concat([Buffer.from('a;b\nça;1\n', 'utf8'), Buffer.from('été;x\n', 'latin1')]);
    const err = await read(mixed, 100).catch((e) => e);
    expect(err).toBeInstanceOf(CsvFileError);
    expect(err.errors).toEqual([{ line: 3, column: '', message: expect.stringMatching(/mélange deux encodages/) }]);
  });

  it('reports an unclosed quote with its line', async () => {
    const err = await read('a;b\n1;2\n"3;4\n5;6\n').catch((e) => e);
    expect(err).toBeInstanceOf(CsvFileError);
    expect(err.errors[0].message).toMatch(/guillemet ouvert/);
  });
});

// What spreadsheets really write: Windows-1252, other separators, UTF-16, binary, workbooks.
const cp1252 = (text: string) =>
  Buffer.from(
    [...text]
      .map((c) => ({ '’': 0x92, œ: 0x9c, '€': 0x80, Œ: 0x8c })[c] ?? c.charCodeAt(0))
      .map((n) => {
        if (n > 0xff) throw new Error(`not in Windows-1252: ${n}`);
        return n;
      }),
  );

async function readAny(bytes: Buffer, chunkSize = 7, spec: TableSpec = { required: ['a', 'b'], kinds: {} }) {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const info: ReadInfo = { format: 'csv', encoding: 'utf-8' };
  const rows: Array<Record<string, string>> = [];
  const cols = [...spec.required, ...Object.keys(spec.kinds).filter((k) => !spec.required.includes(k))];
  const out = await readTable(
    Readable.from(chunks),
    spec,
    (r) => rows.push(Object.fromEntries([['line', String(r.line)], ...cols.map((c) => [c, r.get(c)])])),
    undefined,
    info,
  ).catch((e) => e);
  return { rows, info, error: out instanceof CsvFileError ? out.errors : null };
}

describe('encodings and separators', () => {
  it('reads French Excel’s Windows-1252 CSV, whatever the chunking, and says so', async () => {
    const text = 'a;b\r\nSociété d’Étanchéité;« gros œuvre » 12 €\r\nŒuvre;x\r\n';
    for (const size of [1, 3, 1000]) {
      const r = await readAny(cp1252(text), size);
      expect(r.error).toBeNull();
      expect(r.info.encoding).toBe('windows-1252');
      expect(r.rows).toEqual([
        { line: '2', a: 'Société d’Étanchéité', b: '« gros œuvre » 12 €' },
        { line: '3', a: 'Œuvre', b: 'x' },
      ]);
    }
    // The first non-ASCII byte far down the file: the ASCII before it reads the same either way.
    const late = `a;b\n${'x;1\n'.repeat(5000)}é;2\n`;
    const r = await readAny(cp1252(late), 4096);
    expect(r.info.encoding).toBe('windows-1252');
    expect(r.rows.at(-1)).toEqual({ line: '5002', a: 'é', b: '2' });
    expect((await readAny(Buffer.from('a;b\nx;y\n'))).info.encoding).toBe('utf-8');
    expect((await readAny(Buffer.from('a;b\nété;y\n'))).info.encoding).toBe('utf-8');
  });

  it('refuses UTF-16 (with or without its mark), old .xls workbooks and binary files with a clear message', async () => {
    const text = 'a;b\r\n1;2\r\n';
    const le = await readAny(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(le.error).toEqual([{ line: 1, column: '', message: expect.stringMatching(/encodé en UTF-16/) }]);
    const be = Buffer.from(text, 'utf16le').swap16();
    expect((await readAny(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).error?.[0].message).toMatch(/UTF-16/);
    expect((await readAny(Buffer.from(text, 'utf16le'))).error?.[0].message).toMatch(/semble encodé en UTF-16/);
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]);
    expect((await readAny(xls)).error?.[0].message).toMatch(/Excel 97-2003/);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expect((await readAny(png)).error?.[0].message).toMatch(/pas un fichier texte/);
    const nulLater = Buffer.concat([Buffer.from(`a;b\n${'1;2\n'.repeat(100)}`), Buffer.from([0]), Buffer.from('\n')]);
    expect((await readAny(nulLater, 64)).error?.[0].message).toMatch(/pas un fichier texte/);
  });

  it('says in one message that a file is separated by commas or tabs, quoted or not', async () => {
    const spec: TableSpec = { required: ['marche_ref', 'title', 'amount_eur'], kinds: {} };
    for (const [file, words] of [
      ['marche_ref,title,amount_eur\nM-1,Lot 1,"1200,50"\n', /virgules/],
      ['"marche_ref","title","amount_eur"\n"M-1","Lot 1","1200,50"\n', /virgules/],
      ['\uFEFFmarche_ref\ttitle\tamount_eur\r\nM-1\tLot 1\t1200,50\r\n', /tabulations/],
    ] as const) {
      const r = await readAny(Buffer.from(file), 5, spec);
      expect(r.error).toEqual([{ line: 1, column: '', message: expect.stringMatching(words) }]);
      expect(r.error?.[0].message).toMatch(/point-virgule/);
    }
    // A semicolon file that merely lacks a column keeps its precise messages.
    const r = await readAny(Buffer.from('marche_ref;title\nM-1;Lot 1\n'), 5, spec);
    expect(r.error).toEqual([{ line: 1, column: 'amount_eur', message: expect.stringMatching(/absente/) }]);
  });
});

describe('XLSX workbooks', () => {
  const spec: TableSpec = {
    required: ['ref', 'siret', 'dep', 'birth', 'month', 'hours'],
    kinds: { siret: 'siret', dep: 'code2', birth: 'date', month: 'month', hours: 'decimal' },
  };
  async function workbook(rows: unknown[][], extraFirst = false): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    if (extraFirst) wb.addWorksheet('Notes').addRow(['rien à lire']);
    const ws = wb.addWorksheet('Heures');
    ws.addRow(spec.required);
    for (const r of rows) ws.addRow(r);
    ws.getColumn(4).numFmt = 'dd/mm/yyyy';
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('reads typed cells by their column’s meaning, in any time zone', async () => {
    const file = await workbook([
      // SIRET and Département stored as numbers, dates as date cells, hours from a formula.
      [101, 1234567800010, 62, new Date(Date.UTC(1984, 4, 10)), new Date(Date.UTC(2024, 2, 1)), 151.666666],
      [
        { richText: [{ text: 'C-' }, { text: '2' }] },
        '73282932000074',
        '59',
        '10/05/1984',
        '03/2024',
        { formula: '35*4', result: 140 },
      ],
      ['C-3', 44306184100047, 59, 30812, 45352, 7.005],
    ]);
    const tz = process.env.TZ;
    try {
      for (const zone of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
        process.env.TZ = zone;
        const r = await readAny(file, 1000, spec);
        expect(r.error).toBeNull();
        expect(r.info.format).toBe('xlsx');
        expect(r.rows).toEqual([
          {
            line: '2',
            ref: '101',
            siret: '01234567800010',
            dep: '62',
            birth: '1984-05-10',
            month: '2024-03',
            hours: '151.67',
          },
          {
            line: '3',
            ref: 'C-2',
            siret: '73282932000074',
            dep: '59',
            birth: '10/05/1984',
            month: '03/2024',
            hours: '140',
          },
          // Day numbers without a date format: 30812 is 10/05/1984, 45352 is 01/03/2024.
          {
            line: '4',
            ref: 'C-3',
            siret: '44306184100047',
            dep: '59',
            birth: '1984-05-10',
            month: '2024-03',
            hours: '7.01',
          },
        ]);
      }
    } finally {
      // Assigning undefined would set the string 'undefined' for the next files of this worker.
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('reads the first sheet only, and refuses a workbook it cannot open', async () => {
    const r = await readAny(
      await workbook([['C-1', '73282932000074', '59', '10/05/1984', '03/2024', 1]], true),
      1000,
      spec,
    );
    expect(r.error).toEqual([
      { line: 1, column: 'ref', message: expect.stringMatching(/absente/) },
      ...Array(5).fill(expect.anything()),
    ]);
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]);
    expect((await readAny(broken, 1000, spec)).error?.[0].message).toMatch(/xlsx est illisible/);
  });
});
