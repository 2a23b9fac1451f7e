import { describe, expect, it } from 'vitest';
import type { ParticipantFacts } from '../../src/attestations/facts.js';
import { renderAttestation } from '../../src/attestations/render.js';
import { clauseFacts } from './facts.fixture.js';
import { pdfFonts, pdfStructure, pdfXmp, qpdfCheck, qpdfObjects } from './pdf-tools.js';

// Archival and accessible PDFs (docs/attestations.md): PDF/A-2b and tagged, checked with
// qpdf and poppler as an archive or a screen reader would read them.

const participant: ParticipantFacts = {
  kind: 'participant',
  number: 'ATT-2026-000007',
  issuedAt: '2026-11-24T10:00:00.000Z',
  issueDate: '2026-11-24',
  place: 'Douai',
  verifyUrl: 'https://heures.example.fr/verify/abcdefghijklmnopqrstuvwx',
  programme: { code: 'erbm', name: 'Engagement pour le Renouveau du Bassin Minier 2017-2027' },
  issuer: {
    name: 'Camille Lefèvre',
    function: 'Chargée de mission clauses sociales',
    roleLabel: 'Facilitateur de clauses',
    structureCode: 'plie-douaisis',
    structureName: 'PLIE du Douaisis',
    structureKind: 'plie',
  },
  person: { ref: 'P-1001', firstName: 'Léa', lastName: 'Martin' },
  totalCentihours: 65150,
  period: { from: '2024-03', to: '2025-06' },
  contracts: [
    {
      ref: 'C-0001',
      marcheRef: 'M-2024-001',
      citeName: 'Cité de la Mouchonnière',
      contractType: 'PRO',
      startDate: '2024-02-01',
      endDate: '2024-12-31',
      centihours: 65150,
    },
  ],
};

type Dict = Record<string, unknown>;
const find = (objects: ReturnType<typeof qpdfObjects>, pred: (v: Dict) => boolean) =>
  Object.values(objects)
    .map((o) => o.value)
    .filter((v): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v) && pred(v));

describe('archival attestation PDFs', () => {
  it.each([
    ['participant', () => renderAttestation(participant)],
    ['clause, over several pages', () => renderAttestation(clauseFacts(120))],
  ])('%s: PDF/A-2b declared, qpdf clean, every font embedded', async (_name, render) => {
    const pdf = await render();
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const xmp = pdfXmp(pdf);
    expect(xmp).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
    expect(xmp).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
    expect(xmp).toContain('<dc:title>');
    const check = qpdfCheck(pdf);
    expect(check.out).toContain('No syntax or stream encoding errors found');
    expect(check.code).toBe(0);
    const fonts = pdfFonts(pdf).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(0);
    // name type encoding emb sub uni: every font embedded (and mapped to Unicode).
    for (const line of fonts) expect(line).toMatch(/\s(CID TrueType)\s+Identity-H\s+yes\s+yes\s+yes\s/);
    // An sRGB output intent, as PDF/A asks of a device RGB document.
    const intents = find(qpdfObjects(pdf), (v) => v['/Type'] === '/OutputIntent');
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({ '/S': '/GTS_PDFA1', '/OutputConditionIdentifier': 'u:sRGB IEC61966-2.1' });
    expect(intents[0]!['/DestOutputProfile']).toBeTruthy();
  });

  it('is tagged: French, its title shown, a structure tree in reading order, the QR code described', async () => {
    const pdf = await renderAttestation(participant);
    const objects = qpdfObjects(pdf);
    const [catalog] = find(objects, (v) => v['/Type'] === '/Catalog');
    expect(catalog).toMatchObject({ '/Lang': 'u:fr-FR' });
    expect(catalog!['/StructTreeRoot']).toBeTruthy();
    const refOf = (r: unknown) => objects[`obj:${String(r)}`]?.value;
    expect(refOf(catalog!['/MarkInfo'])).toMatchObject({ '/Marked': true });
    expect(refOf(catalog!['/ViewerPreferences'])).toMatchObject({ '/DisplayDocTitle': true });

    const tree = pdfStructure(pdf);
    // Top-level elements, in the order a screen reader reads them.
    const top = tree
      .split('\n')
      .filter((l) => /^ {2}\S/.test(l))
      .map((l) => l.trim().split(/[\s:]/)[0]);
    expect(top).toEqual(['P', 'H1', 'P', 'P', 'Table', 'P', 'H2', 'Table', 'P', 'P', 'Figure', 'P']);
    const flat = tree.replace(/\s+/g, ' ');
    const order = [
      'PLIE du Douaisis',
      'Attestation d’heures de travail en parcours d’insertion',
      'Le PLIE du Douaisis, chargé de',
      'Heures travaillées',
      'Détail par contrat',
      'Contrat de professionnalisation',
      'Fait à Douai',
      'Camille Lefèvre',
      'https://heures.example.fr/verify/',
    ].map((s) => flat.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Table headers say what they head.
    expect(tree).toMatch(/TH:\s+\/Scope \/Column\s+"Contrat"/);
    expect(tree).toMatch(/TH:\s+\/Scope \/Row\s+"Heures travaillées"/);
    // The QR code is a figure with a text alternative giving the address it encodes.
    const [figure] = find(objects, (v) => v['/S'] === '/Figure');
    expect(String(figure!['/Alt'])).toContain('Code QR');
    expect(String(figure!['/Alt'])).toContain(participant.verifyUrl);
    // Page numbers are artifacts, outside the text a screen reader reads.
    expect(flat).not.toContain('Page 1 / 1');
  });
});
