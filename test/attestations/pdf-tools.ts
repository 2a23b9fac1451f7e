import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

// poppler-utils (pdftotext, pdftoppm) read the PDFs as any reader would.

function withFile<T>(pdf: Buffer, fn: (file: string, dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'att-'));
  try {
    const file = path.join(dir, 'a.pdf');
    fs.writeFileSync(file, pdf);
    return fn(file, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const pdfText = (pdf: Buffer, layout = false): string =>
  withFile(pdf, (f) =>
    execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }),
  );

export const pdfFonts = (pdf: Buffer): string =>
  withFile(pdf, (f) => execFileSync('pdffonts', [f], { encoding: 'utf8' }));

export const pdfPages = (pdf: Buffer): number =>
  Number(/Pages:\s+(\d+)/.exec(withFile(pdf, (f) => execFileSync('pdfinfo', [f], { encoding: 'utf8' })))?.[1]);

/** A page as an 8-bit grey bitmap (PGM from pdftoppm), for pixel checks. */
export function pageGrey(pdf: Buffer, page = 1, dpi = 72): { width: number; height: number; pixels: Buffer } {
  return withFile(pdf, (f, dir) => {
    execFileSync('pdftoppm', [
      '-gray',
      '-r',
      String(dpi),
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      f,
      path.join(dir, 'p'),
    ]);
    const data = fs.readFileSync(path.join(dir, 'p.pgm'));
    // Header "P5\n<w> <h>\n255\n" then raw bytes.
    const m = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 40).toString('latin1'))!;
    return { width: Number(m[1]), height: Number(m[2]), pixels: data.subarray(m[0].length) };
  });
}

/** Dark pixels (< 128) in a rectangle given in fractions of the page. */
export function darkPixels(
  img: ReturnType<typeof pageGrey>,
  box: { x0: number; y0: number; x1: number; y1: number },
): number {
  let n = 0;
  for (let y = Math.floor(box.y0 * img.height); y < Math.floor(box.y1 * img.height); y++)
    for (let x = Math.floor(box.x0 * img.width); x < Math.floor(box.x1 * img.width); x++)
      if (img.pixels[y * img.width + x]! < 128) n++;
  return n;
}

/** Unicode code points the PDF's ToUnicode maps declare (what the embedded subsets draw). */
export function mappedCodePoints(pdf: Buffer): Set<number> {
  const out = new Set<number>();
  const s = pdf.toString('latin1');
  const re = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const start = m.index + m[0].length;
    const end = s.indexOf('endstream', start);
    let text: string;
    try {
      text = zlib.inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    if (!text.includes('beginbfrange')) continue;
    for (const hex of text.matchAll(/<([0-9a-f]{4})>/gi)) out.add(parseInt(hex[1]!, 16));
  }
  return out;
}

/** `qpdf --check`: exit code and output (qpdf exits 0 when the file is sound, 2 on errors, 3 on warnings). */
export function qpdfCheck(pdf: Buffer): { code: number; out: string } {
  return withFile(pdf, (f) => {
    try {
      return { code: 0, out: execFileSync('qpdf', ['--check', f], { encoding: 'utf8' }) };
    } catch (e) {
      const x = e as { status: number; stdout: string; stderr: string };
      return { code: x.status, out: `${x.stdout}${x.stderr}` };
    }
  });
}

/** Every object of the file as qpdf's JSON shows it (`qpdf --json`, version 2). */
export function qpdfObjects(pdf: Buffer): Record<string, { value?: Record<string, unknown> }> {
  const json = withFile(pdf, (f) => execFileSync('qpdf', ['--json', f], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const qpdf = (JSON.parse(json) as { qpdf: [unknown, Record<string, { value?: Record<string, unknown> }>] }).qpdf;
  return qpdf[1];
}

/** The XMP metadata packet (`pdfinfo -meta`). */
export const pdfXmp = (pdf: Buffer): string =>
  withFile(pdf, (f) => execFileSync('pdfinfo', ['-meta', f], { encoding: 'utf8' }));

/** The structure tree with the text of each element (`pdfinfo -struct-text`). */
export const pdfStructure = (pdf: Buffer): string =>
  withFile(pdf, (f) => execFileSync('pdfinfo', ['-struct-text', f], { encoding: 'utf8' }));
