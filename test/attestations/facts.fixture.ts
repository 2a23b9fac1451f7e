import type { ClauseFacts } from '../../src/attestations/facts.js';

// Fixed facts of a clause attestation, for rendering tests without a database.
export function clauseFacts(contracts: number, over: Partial<ClauseFacts> = {}): ClauseFacts {
  return {
    kind: 'clause',
    number: 'ATT-2026-000042',
    issuedAt: '2026-11-24T10:00:00.000Z',
    issueDate: '2026-11-24',
    place: 'Lens',
    verifyUrl: 'https://heures.example.fr/verify/abcdefghijklmnopqrstuvwx',
    programme: { code: 'erbm', name: 'Engagement pour le Renouveau du Bassin Minier' },
    issuer: {
      name: 'Camille Lefèvre',
      roleLabel: 'Facilitateur de clauses',
      structureCode: 'plie-lens-henin',
      structureName: 'PLIE Lens-Liévin / Hénin-Carvin',
    },
    marche: {
      ref: 'M-2024-017',
      title: 'Réhabilitation thermique de 120 logements — lot 3 « menuiseries »',
      startDate: '2024-01-15',
      endDate: '2025-12-31',
    },
    cite: { code: 'cite-4-lens', name: 'Cité 4', commune: 'Lens' },
    contractor: { name: 'Bâtiments & Œuvres du Nord', siret: '73282932000074' },
    requiredCentihours: 500000,
    realisedCentihours: 36000000,
    remainingCentihours: 0,
    fulfilled: true,
    contracts: Array.from({ length: contracts }, (_, i) => ({
      ref: `C-${String(i + 1).padStart(4, '0')}`,
      participantRef: `P-${i + 1}`,
      initials: 'É. D.',
      contractType: 'CDDI',
      startDate: '2024-02-01',
      endDate: '2024-12-31',
      centihours: 15167,
    })),
    ...over,
  };
}
