import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Kind } from './facts.js';
import { TEMPLATES_DIR as ROOT_TEMPLATES_DIR } from '../paths.js';

// Wording and layout live in templates/attestations/*.json (not in code), fonts in
// templates/fonts/. Both are read once per process and kept in memory.

export const TEMPLATES_DIR = ROOT_TEMPLATES_DIR;

export type Paragraph = string | { when: string; then: string; else: string };

export interface CommonTemplate {
  page: { size: string; margins: { top: number; bottom: number; left: number; right: number } };
  fonts: { regular: string; bold: string };
  sizes: Record<'header' | 'title' | 'subtitle' | 'body' | 'figures' | 'table' | 'footer' | 'small', number>;
  colors: Record<'text' | 'muted' | 'accent' | 'tableHeader' | 'zebra' | 'box', string>;
  header: string[];
  subtitle: string;
  closing: string;
  signatory: string[];
  verify: { title: string; text: string; qrSize: number };
  footer: string;
  tableContinued: string;
  places: Record<string, string>;
  programmeTeam: string;
  /**
   * Who attests as the subject of a sentence, per kind of structure (`plie`, `regie`…, `team`
   * for the programme team, `structure` for any other): `{name}` is the structure's name, and
   * `charged` the participle that agrees with it. Absent from templates stored before it existed.
   */
  issuerWords?: Record<string, { subject: string; charged: string }>;
}

export interface KindTemplate {
  title: string;
  paragraphs: Paragraph[];
  figures: Array<{ label: string; value: string }>;
  conclusion?: Paragraph;
  labels?: Record<string, string>;
  table: {
    title: string;
    empty: string;
    columns: Array<{ key: string; label: string; width: number; align?: 'left' | 'right' }>;
    total?: Record<string, string>;
  };
}

export interface Templates {
  common: CommonTemplate;
  kinds: Record<Kind, KindTemplate>;
  /** Parsed fonts (fontkit objects, as pdfkit accepts them), shared by every document. */
  fonts: { regular: ParsedFont; bold: ParsedFont };
}

/** What pdfkit's `font()` accepts besides a path or bytes: an already parsed fontkit font. */
export type ParsedFont = { layout: (...a: unknown[]) => unknown; hasGlyphForCodePoint(cp: number): boolean };

/**
 * Parses a TTF once per process. pdfkit otherwise re-reads and re-parses the 750 KB file for
 * every document, which was most of the rendering time; documents are rendered synchronously,
 * so sharing the parsed font (each document still makes its own subset) is safe.
 */
function parseFont(file: string): ParsedFont {
  // pdfkit (and fontkit) load on first use, not at start-up: they are the heaviest modules.
  const PDFDocument = createRequire(import.meta.url)('pdfkit') as typeof import('pdfkit');
  const probe = new PDFDocument({ font: file, autoFirstPage: false });
  return (probe as unknown as { _font: { font: ParsedFont } })._font.font;
}

/** The wording and layout of one kind, as stored with each attestation at issue. */
export interface TemplateSnapshot {
  common: CommonTemplate;
  kind: KindTemplate;
}

export function snapshotFor(kind: Kind): TemplateSnapshot {
  const t = loadTemplates();
  return { common: t.common, kind: t.kinds[kind] };
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(TEMPLATES_DIR, 'attestations', file), 'utf8'));

let cached: Templates | undefined;

export function loadTemplates(): Templates {
  if (cached) return cached;
  const common = readJson('common.json') as CommonTemplate;
  cached = {
    common,
    kinds: { clause: readJson('clause.json'), participant: readJson('participant.json'), rsa: readJson('rsa.json') },
    fonts: {
      regular: parseFont(path.join(TEMPLATES_DIR, 'fonts', common.fonts.regular)),
      bold: parseFont(path.join(TEMPLATES_DIR, 'fonts', common.fonts.bold)),
    },
  };
  return cached;
}

/** Replaces {key} with values[key]; an unknown key is a template bug, so it throws. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{([A-Za-z0-9_.]+)\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`Modèle d’attestation : champ inconnu {${key}}`);
    return v;
  });
}

export function fillParagraph(p: Paragraph, values: Record<string, string>, flags: Record<string, boolean>): string {
  if (typeof p === 'string') return fill(p, values);
  return fill(flags[p.when] ? p.then : p.else, values);
}
