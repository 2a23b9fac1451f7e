// What an attestation states, computed once at issue and stored as JSON with it.
// The PDF and the verify page are always rendered from these stored facts, never from the
// live ledger, so an attestation never changes after issue. Hours are centihours, dates ISO.

export const KINDS = ['clause', 'participant', 'rsa'] as const;
export type Kind = (typeof KINDS)[number];

export const KIND_LABELS: Record<Kind, string> = {
  clause: 'Attestation de clause sociale d’insertion',
  participant: 'Attestation d’heures d’un participant',
  rsa: 'Attestation des résultats RSA d’un Département',
};

export interface BaseFacts {
  kind: Kind;
  number: string;
  issuedAt: string; // UTC ISO time stamp
  issueDate: string; // yyyy-MM-dd, in Europe/Paris
  place: string;
  verifyUrl: string;
  programme: { code: string; name: string };
  issuer: {
    /** The signatory: a person named on the account, with a function; null signs as the body itself. */
    name: string | null;
    function?: string | null;
    roleLabel: string;
    structureCode: string | null;
    structureName: string;
    /** `plie`, `regie`... (reference data); null for the programme team. Absent before it was stored. */
    structureKind?: string | null;
  };
}

export interface ClauseFacts extends BaseFacts {
  kind: 'clause';
  marche: { ref: string; title: string; startDate: string; endDate: string };
  cite: { code: string; name: string; commune: string };
  contractor: { name: string; siret: string };
  requiredCentihours: number;
  realisedCentihours: number;
  remainingCentihours: number;
  fulfilled: boolean;
  contracts: Array<{
    ref: string;
    participantRef: string;
    initials: string;
    contractType: string;
    startDate: string;
    endDate: string;
    centihours: number;
  }>;
}

export interface ParticipantFacts extends BaseFacts {
  kind: 'participant';
  person: { ref: string; firstName: string | null; lastName: string | null };
  totalCentihours: number;
  /** First and last months with hours (yyyy-MM); absent on attestations issued before it was stored. */
  period?: { from: string; to: string } | null;
  contracts: Array<{
    ref: string;
    marcheRef: string;
    citeName: string;
    contractType: string;
    startDate: string;
    endDate: string;
    centihours: number;
  }>;
}

export interface RsaFacts extends BaseFacts {
  kind: 'rsa';
  departement: { code: string; name: string };
  period: { from: string; to: string }; // yyyy-MM inclusive
  centihours: number;
  beneficiaries: number;
  contracts: number;
  byCite: Array<{
    code: string;
    name: string;
    commune: string;
    centihours: number;
    beneficiaries: number;
    contracts: number;
  }>;
}

export type Facts = ClauseFacts | ParticipantFacts | RsaFacts;

/** "L. M." from a name; the ref stands alone when the identity was pseudonymised. */
export function initialsOf(first: string | null, last: string | null): string {
  return [first, last]
    .map((s) => (s?.trim() ? s.trim()[0]!.toUpperCase() + '.' : ''))
    .join(' ')
    .trim();
}
