import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import PDFDocument from 'pdfkit';
import type { ClauseFacts } from '../src/attestations/facts.js';
import { renderAttestation } from '../src/attestations/render.js';
import { loadTemplates, TEMPLATES_DIR } from '../src/attestations/templates.js';
import { type Figure, fr, frRatio } from './summary.js';

// `npm run bench -- attestations [--seconds N]`: clause attestation PDFs per second (one
// page, and twenty pages), with sizes, next to a raw baseline measured in the same run: a
// bare pdfkit one-page document with the same embedded font and one line of text.
// Goal: >= 50 one-page PDFs/s on one core, < 150 KB each.

function facts(contracts: number): ClauseFacts {
  return {
    kind: 'clause',
    number: 'ATT-2026-000001',
    issuedAt: '2026-11-24T10:00:00.000Z',
    issueDate: '2026-11-24',
    place: 'Lens',
    verifyUrl: 'https://heures.example.fr/verify/uQDLm80_GEAVtgNJcy9uPYad',
    programme: { code: 'erbm', name: 'ERBM 2017-2027' },
    issuer: {
      name: 'Camille Lefèvre',
      roleLabel: 'Facilitateur de clauses',
      structureCode: 'plie-lens-henin',
      structureName: 'PLIE Lens-Liévin / Hénin-Carvin',
    },
    marche: {
      ref: 'M-2024-017',
      title: 'Réhabilitation thermique de 120 logements',
      startDate: '2024-01-01',
      endDate: '2025-12-31',
    },
    cite: { code: 'cite-4-lens', name: 'Cité 4', commune: 'Lens' },
    contractor: { name: 'BTP du Nord', siret: '73282932000074' },
    requiredCentihours: 500000,
    realisedCentihours: contracts * 15167,
    remainingCentihours: Math.max(0, 500000 - contracts * 15167),
    fulfilled: contracts * 15167 >= 500000,
    contracts: Array.from({ length: contracts }, (_, i) => ({
      ref: `C-${String(i + 1).padStart(5, '0')}`,
      participantRef: `P-${i + 1}`,
      initials: 'L. M.',
      contractType: 'CDDI',
      startDate: '2024-02-01',
      endDate: '2024-12-31',
      centihours: 15167 + i,
    })),
  };
}

/** Bare pdfkit: font given as a path (parsed per document), or pre-parsed like the renderer does. */
function baseline(parsed = false): Promise<Buffer> {
  const font = parsed
    ? (loadTemplates().fonts.regular as unknown as string)
    : path.join(TEMPLATES_DIR, 'fonts', loadTemplates().common.fonts.regular);
  const date = new Date('2026-11-24T10:00:00.000Z');
  const doc = new PDFDocument({ size: 'A4', font, info: { CreationDate: date, ModDate: date } });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.fontSize(10).text('Attestation ATT-2026-000001 : 5 000 h réalisées, 151,67 h.');
  doc.end();
  return done;
}

const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

/** Renders for about `seconds` (at least `min` times); returns PDFs/s and the last size. */
async function measure(make: () => Promise<Buffer>, seconds: number, min = 5) {
  for (let i = 0; i < 3; i++) await make(); // warm-up (JIT, font parsing caches)
  let n = 0;
  let size = 0;
  const t0 = performance.now();
  while (n < min || performance.now() - t0 < seconds * 1000) {
    size = (await make()).length;
    n++;
  }
  const elapsed = (performance.now() - t0) / 1000;
  return { runs: n, seconds: Number(elapsed.toFixed(2)), perSecond: Number((n / elapsed).toFixed(1)), sizeBytes: size };
}

export async function run(args: string[]): Promise<Figure[]> {
  const i = args.indexOf('--seconds');
  const seconds = i >= 0 ? Number(args[i + 1]) : 5;

  // Find the number of contracts that fills exactly twenty pages.
  let rows = 900;
  for (let k = 0; k < 10; k++) {
    const pages = pageCount(await renderAttestation(facts(rows)));
    if (pages === 20) break;
    rows += (20 - pages) * 45;
  }
  const onePage = facts(8);
  const twenty = facts(rows);

  const base = await measure(() => baseline(false), seconds);
  const baseParsed = await measure(() => baseline(true), seconds);
  const one = await measure(() => renderAttestation(onePage), seconds);
  const many = await measure(() => renderAttestation(twenty), seconds, 3);
  const result = {
    benchmark: 'attestations',
    at: new Date().toISOString(),
    node: process.version,
    goal: { onePagePerSecond: 50, maxSizeBytes: 150 * 1024 },
    baseline: { what: 'bare pdfkit one-page PDF, same embedded DejaVu Sans (font path), one line of text', ...base },
    baselineParsedFont: {
      what: 'the same, with the font parsed once per process as the renderer does',
      ...baseParsed,
      ratioToBaseline: Number((baseParsed.perSecond / base.perSecond).toFixed(3)),
    },
    onePage: {
      contracts: onePage.contracts.length,
      pages: pageCount(await renderAttestation(onePage)),
      ...one,
      ratioToBaseline: Number((one.perSecond / base.perSecond).toFixed(3)),
    },
    twentyPages: {
      contracts: rows,
      pages: pageCount(await renderAttestation(twenty)),
      ...many,
      ratioToBaseline: Number((many.perSecond / base.perSecond).toFixed(3)),
    },
  };
  const out = path.resolve('bench/results/attestations.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  const kb = (b: number) => `${(b / 1024).toFixed(1).replace('.', ',')} Ko`;
  console.log(`Référence pdfkit nue : ${base.perSecond} PDF/s, ${kb(base.sizeBytes)}`);
  console.log(
    `Référence, police pré-analysée : ${baseParsed.perSecond} PDF/s (×${result.baselineParsedFont.ratioToBaseline})`,
  );
  console.log(
    `Attestation 1 page : ${one.perSecond} PDF/s (×${result.onePage.ratioToBaseline} de la référence), ${kb(one.sizeBytes)}`,
  );
  console.log(
    `Attestation ${result.twentyPages.pages} pages : ${many.perSecond} PDF/s (×${result.twentyPages.ratioToBaseline}), ${kb(many.sizeBytes)}`,
  );
  console.log(`Résultats : ${out}`);
  return [
    {
      figure: 'Attestation PDF d’une page',
      product: fr(one.perSecond, 'PDF/s'),
      baseline: `${fr(base.perSecond, 'PDF/s')} (pdfkit nu)`,
      ratio: frRatio(result.onePage.ratioToBaseline),
      goal: '≥ 50 PDF/s, < 150 Ko',
      met: one.perSecond >= 50 && one.sizeBytes < 150 * 1024,
    },
  ];
}
