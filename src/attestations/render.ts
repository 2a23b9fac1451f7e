import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Facts } from './facts.js';
import { KIND_LABELS } from './facts.js';
import { fill, fillParagraph, loadTemplates, type Templates, type TemplateSnapshot } from './templates.js';
import { buildView, type Values } from './views.js';

// Renders an attestation PDF from its stored facts, deterministically: the creation and
// modification dates are the issue time, and pdfkit derives the document /ID from the info
// dictionary (md5 of its values), so the same facts give the same bytes every time.

type Doc = PDFKit.PDFDocument;
const ROW_H = 14;

interface FontLike {
  hasGlyphForCodePoint(cp: number): boolean;
}
const glyphCache = new Map<string, string>();

/**
 * Text that the embedded font can draw: a character it lacks is replaced by its base letter
 * (NFD without accents) or '?', so no glyph is ever silently blank.
 */
export function fitToFont(doc: Doc, text: string): string {
  const font = (doc as unknown as { _font: { font: FontLike } })._font.font;
  let out = '';
  for (const ch of text) {
    let r = glyphCache.get(ch);
    if (r === undefined) {
      if (font.hasGlyphForCodePoint(ch.codePointAt(0)!)) r = ch;
      else {
        const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
        r = base && [...base].every((c) => font.hasGlyphForCodePoint(c.codePointAt(0)!)) ? base : '?';
      }
      glyphCache.set(ch, r);
    }
    out += r;
  }
  return out;
}

// pdfkit lays out every word with fontkit (OpenType shaping) and caches the result per
// document; most of an attestation's words recur from one document to the next, so the cache
// is shared by all documents of a process (same parsed font, same scale: the cached runs are
// equal to fresh ones). Dropped now and then so that names and figures do not pile up.
type LayoutCache = Record<string, unknown>;
const layoutCaches = new Map<unknown, LayoutCache>();
let documentsSinceReset = 0;

function shareLayoutCache(doc: Doc, name: string) {
  doc.font(name);
  const internals = doc as unknown as {
    _font: { font: unknown; layoutCache?: LayoutCache };
    _fontFamilies: Record<string, unknown>;
  };
  const embedded = internals._font;
  // pdfkit deduplicates a registered font equal to the default one but then forgets the
  // name, re-opening the font at every doc.font(name) call; remember it.
  internals._fontFamilies[name] = embedded;
  let cache = layoutCaches.get(embedded.font);
  if (!cache) layoutCaches.set(embedded.font, (cache = Object.create(null) as LayoutCache));
  embedded.layoutCache = cache;
}

/** Info values go into the XMP metadata unescaped by pdfkit: keep them free of XML markup. */
const xmlSafe = (s: string) => s.replace(/&/g, 'et').replace(/[<>]/g, '');

/**
 * Renders from stored facts, with the templates stored at issue (else the current ones).
 * The PDF is archival and accessible (docs/attestations.md): PDF/A-2b (XMP metadata with
 * pdfaid, every font embedded, an sRGB output intent) and tagged (language fr-FR, title
 * shown, a structure tree in reading order, the QR code as a figure with a text alternative,
 * rules, backgrounds and page numbers as artifacts).
 */
export function renderAttestation(facts: Facts, snapshot?: TemplateSnapshot): Promise<Buffer> {
  if (++documentsSinceReset > 500) {
    layoutCaches.clear();
    documentsSinceReset = 0;
  }
  const current = loadTemplates();
  const tpl: Templates = snapshot
    ? { ...current, common: snapshot.common, kinds: { ...current.kinds, [facts.kind]: snapshot.kind } }
    : current;
  const c = tpl.common;
  const kt = tpl.kinds[facts.kind];
  const view = buildView(facts, kt, c);
  const issued = new Date(facts.issuedAt);
  const doc = new PDFDocument({
    size: c.page.size,
    margins: c.page.margins,
    bufferPages: true,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    tagged: true,
    lang: 'fr-FR',
    displayTitle: true,
    // Never load the built-in Helvetica (it prints U+202F as '/'); pdfkit takes parsed fonts.
    font: tpl.fonts.regular as unknown as string,
    info: {
      Title: xmlSafe(`${kt.title} — ${facts.number}`),
      Author: xmlSafe(facts.issuer.structureName),
      Subject: xmlSafe(KIND_LABELS[facts.kind]),
      Creator: 'Registre des heures d’insertion',
      Producer: 'Registre des heures d’insertion (pdfkit)',
      // The issue time, so that the same facts give the same bytes. No ModDate: PDF/A wants
      // it mirrored in the XMP, which pdfkit does not write.
      CreationDate: issued,
    },
  });
  doc.registerFont('regular', tpl.fonts.regular as unknown as string);
  doc.registerFont('bold', tpl.fonts.bold as unknown as string);
  shareLayoutCache(doc, 'bold');
  shareLayoutCache(doc, 'regular');
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  layout(doc, root, tpl, facts, kt, view);
  root.end();
  doc.end();
  return done;
}

type Struct = PDFKit.PDFStructureElement;

/** Decoration (rules, backgrounds, page numbers): outside the structure a screen reader reads. */
function artifact(doc: Doc, draw: () => void, type?: 'Pagination' | 'Layout') {
  doc.markContent('Artifact', type ? { type } : undefined);
  draw();
  doc.endMarkedContent();
}

/** A horizontal rule across the text width at the current line: decoration, not content. */
function rule(doc: Doc, left: number, width: number, lineWidth: number, color: string) {
  artifact(doc, () =>
    doc
      .moveTo(left, doc.y)
      .lineTo(left + width, doc.y)
      .lineWidth(lineWidth)
      .strokeColor(color)
      .stroke(),
  );
}

/** One element of the structure tree, in reading order, whose content `draw` puts on the page. */
function tag(doc: Doc, parent: Struct, type: string, draw: () => void, options: StructOptions = {}) {
  parent.add(doc.struct(type, options as PDFKit.Mixins.StructureElementOptions, draw));
}

/** What pdfkit's structure elements take (its typings lack bbox, placement and scope). */
interface StructOptions {
  alt?: string;
  bbox?: [number, number, number, number];
  placement?: 'Block' | 'Inline';
  scope?: 'Row' | 'Column' | 'Both';
}

function layout(
  doc: Doc,
  root: Struct,
  tpl: Templates,
  facts: Facts,
  kt: Templates['kinds'][keyof Templates['kinds']],
  view: ReturnType<typeof buildView>,
) {
  const c = tpl.common;
  const v = view.values;
  const left = c.page.margins.left;
  const width = doc.page.width - left - c.page.margins.right;
  const text = (s: string) => fitToFont(doc, s);
  const bottom = () => doc.page.height - c.page.margins.bottom;

  // Header: issuing structure and programme, then a rule.
  tag(doc, root, 'P', () => {
    doc.font('regular').fontSize(c.sizes.header).fillColor(c.colors.muted);
    for (const line of c.header) doc.text(text(fill(line, v)), left, undefined, { width });
  });
  doc.moveDown(0.4);
  rule(doc, left, width, 1.2, c.colors.accent);
  doc.moveDown(1.2);

  tag(doc, root, 'H1', () =>
    doc
      .font('bold')
      .fontSize(c.sizes.title)
      .fillColor(c.colors.accent)
      .text(text(kt.title), left, undefined, { width, align: 'center' }),
  );
  doc.moveDown(0.3);
  tag(doc, root, 'P', () =>
    doc
      .font('regular')
      .fontSize(c.sizes.subtitle)
      .fillColor(c.colors.muted)
      .text(text(fill(c.subtitle, v)), { width, align: 'center' }),
  );
  doc.moveDown(1.2);

  for (const p of kt.paragraphs) {
    tag(doc, root, 'P', () =>
      doc
        .font('regular')
        .fontSize(c.sizes.body)
        .fillColor(c.colors.text)
        .text(text(fillParagraph(p, v, view.flags)), left, undefined, { width, lineGap: 2 }),
    );
    doc.moveDown(0.6);
  }

  figures(doc, root, tpl, kt, v, left, width, text);
  if (kt.conclusion) {
    const conclusion = kt.conclusion;
    tag(doc, root, 'P', () =>
      doc
        .font('bold')
        .fontSize(c.sizes.body)
        .fillColor(c.colors.text)
        .text(text(fillParagraph(conclusion, v, view.flags)), left, undefined, { width, lineGap: 2 }),
    );
    doc.moveDown(1);
  }

  table(doc, root, tpl, kt, view.rows, v, left, width, bottom, text);

  // Closing, signatory and verification block stay together on one page.
  const qr = c.verify.qrSize;
  if (doc.y + 80 + qr > bottom()) doc.addPage();
  doc.moveDown(1);
  tag(doc, root, 'P', () =>
    doc
      .font('regular')
      .fontSize(c.sizes.body)
      .fillColor(c.colors.text)
      .text(text(fill(c.closing, v)), left + width / 2, undefined, { width: width / 2 }),
  );
  doc.moveDown(0.5);
  // Lines that fill to nothing (no signatory's name or function) are left out; the first
  // line printed is in bold.
  const signatory = c.signatory.map((line) => fill(line, v).trim()).filter(Boolean);
  tag(doc, root, 'P', () =>
    signatory.forEach((line, i) => {
      doc
        .font(i === 0 ? 'bold' : 'regular')
        .fontSize(c.sizes.body)
        .fillColor(c.colors.text)
        .text(text(line), left + width / 2, undefined, { width: width / 2 });
    }),
  );
  doc.moveDown(1.5);
  const y = doc.y;
  tag(doc, root, 'Figure', () => drawQr(doc, facts.verifyUrl, left, y, qr), {
    alt: `Code QR menant à la page de vérification de l’attestation ${facts.number} : ${facts.verifyUrl}`,
    bbox: [left, y, left + qr, y + qr],
    placement: 'Block',
  });
  const tx = left + qr + 14;
  tag(doc, root, 'P', () => {
    doc
      .font('bold')
      .fontSize(c.sizes.small)
      .fillColor(c.colors.accent)
      .text(text(c.verify.title), tx, y + 4, { width: width - qr - 14 });
    doc
      .font('regular')
      .fillColor(c.colors.text)
      .text(text(fill(c.verify.text, v)), { width: width - qr - 14, lineGap: 1 });
    doc.moveDown(0.3);
    doc
      .fillColor(c.colors.accent)
      .text(text(facts.verifyUrl), { width: width - qr - 14, link: facts.verifyUrl, underline: true });
  });

  // Page numbers, now that the page count is known.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0; // writing below the text area must not open a new page
    const footer = fill(c.footer, { ...v, page: String(i + 1), pages: String(range.count) });
    artifact(
      doc,
      () =>
        doc
          .font('regular')
          .fontSize(c.sizes.footer)
          .fillColor(c.colors.muted)
          .text(text(footer), left, doc.page.height - c.page.margins.bottom + 22, {
            width,
            align: 'center',
            lineBreak: false,
          }),
      'Pagination',
    );
  }
}

/** The key figures, read as a two-column table (label, value). */
function figures(
  doc: Doc,
  root: Struct,
  tpl: Templates,
  kt: Templates['kinds'][keyof Templates['kinds']],
  v: Values,
  left: number,
  width: number,
  text: (s: string) => string,
) {
  const c = tpl.common;
  const lineH = c.sizes.figures + 7;
  const top = doc.y;
  const height = kt.figures.length * lineH + 12;
  artifact(doc, () => doc.rect(left, top, width, height).fill(c.colors.box));
  const grid = doc.struct('Table');
  root.add(grid);
  kt.figures.forEach((f, i) => {
    const y = top + 8 + i * lineH;
    const tr = doc.struct('TR');
    grid.add(tr);
    tag(
      doc,
      tr,
      'TH',
      () =>
        doc
          .font('regular')
          .fontSize(c.sizes.figures)
          .fillColor(c.colors.text)
          .text(text(f.label), left + 12, y, { width: width * 0.6, lineBreak: false }),
      { scope: 'Row' },
    );
    tag(doc, tr, 'TD', () =>
      doc
        .font('bold')
        .fontSize(c.sizes.figures)
        .fillColor(c.colors.text)
        .text(text(fill(f.value, v)), left + width * 0.6, y, {
          width: width * 0.4 - 12,
          align: 'right',
          lineBreak: false,
        }),
    );
    tr.end();
  });
  grid.end();
  doc.x = left;
  doc.y = top + height + 12;
}

/**
 * The detail table. A cell never loses text: a long value (a contract type, a cité's name)
 * wraps and its row grows. A long table continues on the next page under its title and a
 * repeated header row.
 */
function table(
  doc: Doc,
  root: Struct,
  tpl: Templates,
  kt: Templates['kinds'][keyof Templates['kinds']],
  rows: Values[],
  v: Values,
  left: number,
  width: number,
  bottom: () => number,
  text: (s: string) => string,
) {
  const c = tpl.common;
  const t = kt.table;
  const cols = t.columns.map((col, i) => ({
    ...col,
    x: left + width * t.columns.slice(0, i).reduce((s, x) => s + x.width, 0),
    w: width * col.width,
  }));
  const titleText =
    (suffix = '') =>
    () =>
      doc
        .font('bold')
        .fontSize(c.sizes.body)
        .fillColor(c.colors.accent)
        .text(text(t.title + suffix), left, doc.y, { width });
  const heightOf = (cells: Values, bold: boolean) => {
    doc.font(bold ? 'bold' : 'regular').fontSize(c.sizes.table);
    let h = 0;
    for (const col of cols) {
      const s = cells[col.key];
      if (s) h = Math.max(h, doc.heightOfString(text(s), { width: col.w - 6 }));
    }
    return Math.max(ROW_H, Math.ceil(h) + 6);
  };
  /** One row; `parent` null draws it as an artifact (a header repeated on a new page). */
  const row = (
    parent: Struct | null,
    cells: Values,
    opts: { bold?: boolean; fill?: string; color?: string; header?: boolean } = {},
  ) => {
    const y = doc.y;
    const h = heightOf(cells, !!opts.bold);
    if (opts.fill) artifact(doc, () => doc.rect(left, y, width, h).fill(opts.fill!));
    const drawCell = (col: (typeof cols)[number]) => () => {
      doc
        .font(opts.bold ? 'bold' : 'regular')
        .fontSize(c.sizes.table)
        .fillColor(opts.color ?? c.colors.text)
        .text(text(cells[col.key] ?? ''), col.x + 3, y + 3.5, { width: col.w - 6, align: col.align ?? 'left' });
    };
    if (parent) {
      const tr = doc.struct('TR');
      parent.add(tr);
      for (const col of cols)
        if (cells[col.key])
          tag(doc, tr, opts.header ? 'TH' : 'TD', drawCell(col), opts.header ? { scope: 'Column' } : {});
        else tag(doc, tr, opts.header ? 'TH' : 'TD', () => {});
      tr.end();
    } else
      artifact(doc, () => {
        for (const col of cols) if (cells[col.key]) drawCell(col)();
      });
    doc.x = left;
    doc.y = y + h;
  };
  const headerCells = Object.fromEntries(cols.map((col) => [col.key, col.label]));
  const headerOpts = { bold: true, fill: c.colors.tableHeader, color: c.colors.accent, header: true };

  if (doc.y + 3 * ROW_H + 20 > bottom()) doc.addPage();
  tag(doc, root, 'H2', titleText());
  doc.moveDown(0.3);
  if (rows.length === 0) {
    tag(doc, root, 'P', () =>
      doc.font('regular').fontSize(c.sizes.body).fillColor(c.colors.muted).text(text(t.empty), left, doc.y, { width }),
    );
    doc.moveDown(1);
    return;
  }
  const grid = doc.struct('Table');
  root.add(grid);
  row(grid, headerCells, headerOpts);
  rows.forEach((r, i) => {
    if (doc.y + heightOf(r, false) > bottom()) {
      doc.addPage();
      artifact(doc, titleText(` ${c.tableContinued}`));
      doc.moveDown(0.3);
      row(null, headerCells, headerOpts);
    }
    row(grid, r, { fill: i % 2 === 1 ? c.colors.zebra : undefined });
  });
  if (t.total) {
    const total = Object.fromEntries(Object.entries(t.total).map(([k, s]) => [k, fill(s, v)]));
    if (doc.y + heightOf(total, true) > bottom()) doc.addPage();
    rule(doc, left, width, 0.6, c.colors.accent);
    row(grid, total, { bold: true });
  }
  grid.end();
  doc.moveDown(0.5);
}
/** The QR code as vector rectangles (one per run of dark modules): sharp and small. */
function drawQr(doc: Doc, url: string, x: number, y: number, size: number) {
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const s = size / (n + 2 * quiet);
  for (let r = 0; r < n; r++) {
    let start = -1;
    for (let col = 0; col <= n; col++) {
      const dark = col < n && qr.modules.get(r, col);
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        doc.rect(x + (quiet + start) * s, y + (quiet + r) * s, (col - start) * s, s);
        start = -1;
      }
    }
  }
  doc.fillColor('#000000').fill();
}
