import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CsvFileError, readCsv } from '../../src/imports/csv.js';

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
