import path from 'node:path';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { fitToFont, renderAttestation } from '../../src/attestations/render.js';
import { loadTemplates, TEMPLATES_DIR } from '../../src/attestations/templates.js';
import { clauseFacts } from './facts.fixture.js';
import { darkPixels, pageGrey, pdfPages, pdfText } from './pdf-tools.js';

// Rendering alone, from fixed facts (no database): layout, pages, glyphs, determinism.

const flat = (s: string) => s.replace(/\s+/g, ' ');

describe('attestation PDF rendering', () => {
  it('renders the same bytes twice, and other bytes for another issue time', async () => {
    const a = await renderAttestation(clauseFacts(5));
    const b = await renderAttestation(clauseFacts(5));
    expect(Buffer.compare(a, b)).toBe(0);
    const c = await renderAttestation(clauseFacts(5, { issuedAt: '2026-11-24T10:00:01.000Z' }));
    expect(Buffer.compare(a, c)).not.toBe(0);
    expect(a.toString('latin1')).toContain('(D:20261124100000Z)');
    expect(a.length).toBeLessThan(150 * 1024);
  });

  it('prints French figures: 360 000 h with U+202F, dd/MM/yyyy', async () => {
    const text = flat(pdfText(await renderAttestation(clauseFacts(3))));
    expect(text).toContain('360 000,00 h');
    expect(text).toContain('5 000,00 h');
    expect(text).toContain('151,67 h');
    expect(text).toContain('15/01/2024');
    expect(text).toContain('Bâtiments & Œuvres du Nord');
    expect(text).toContain('« menuiseries »');
  });

  it('spreads a long table over pages with repeated headers and “Page n / N”', async () => {
    const pdf = await renderAttestation(clauseFacts(150));
    const pages = pdfPages(pdf);
    expect(pages).toBeGreaterThanOrEqual(3);
    const text = pdfText(pdf)
      .split('\f')
      .filter((p) => p.trim());
    expect(text).toHaveLength(pages);
    text.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} / ${pages}`);
      if (i > 0 && i < pages - 1) expect(page).toMatch(/Contrat\s+Participant\s+Type\s+Début\s+Fin\s+Heures/);
    });
    expect(text[1]).toContain('(suite)');
    expect(text.join('')).toContain('C-0150');
    expect(flat(text[pages - 1]!)).toContain('Fait à Lens, le 24/11/2026.');
  });

  it('draws every glyph it prints (no blank boxes), and the page is not blank', async () => {
    const pdf = await renderAttestation(clauseFacts(5));
    const doc = new PDFDocument({ font: path.join(TEMPLATES_DIR, 'fonts', loadTemplates().common.fonts.regular) });
    const font = (doc as any)._font.font;
    for (const ch of new Set(pdfText(pdf).replace(/\s/g, '')))
      expect(font.hasGlyphForCodePoint(ch.codePointAt(0)), `glyph for ${ch}`).toBe(true);
    for (const ch of ['\u202f', '\u00a0', '€', '’', 'é', 'è', 'ê', 'à', 'ç', 'ô', 'Œ', 'œ', '«', '»', '—', '°'])
      expect(font.hasGlyphForCodePoint(ch.codePointAt(0)), `glyph for ${ch}`).toBe(true);

    const img = pageGrey(pdf, 1, 60);
    // Title band, figures box and QR code (bottom left) all have ink; the margin has none.
    expect(darkPixels(img, { x0: 0.05, y0: 0.08, x1: 0.95, y1: 0.14 })).toBeGreaterThan(300);
    expect(darkPixels(img, { x0: 0.05, y0: 0.2, x1: 0.95, y1: 0.5 })).toBeGreaterThan(1500);
    expect(darkPixels(img, { x0: 0.0, y0: 0.0, x1: 0.05, y1: 1 })).toBe(0);
  });

  it('replaces characters the font lacks by their base letter or “?”', () => {
    const doc = new PDFDocument({ font: path.join(TEMPLATES_DIR, 'fonts', loadTemplates().common.fonts.regular) });
    expect(fitToFont(doc, 'Łukasz Nguyễn 5 000 €')).toBe('Łukasz Nguyễn 5 000 €');
    expect(fitToFont(doc, '李 Ana')).toBe('? Ana');
  });
});
