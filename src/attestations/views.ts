import { formatDateFr } from '../lib/dates.js';
import { formatIntFr } from '../lib/html.js';
import type { ClauseFacts, Facts, ParticipantFacts, RsaFacts } from './facts.js';
import type { CommonTemplate, KindTemplate } from './templates.js';

// Facts -> the French strings the templates refer to ({key}). Formatting lives here, once
// (docs/attestations.md): numbers `360 000` (U+202F), hours always with two decimals
// `651,50 h` (the summary, the sentences and the tables agree, and columns align on the
// comma), dates dd/MM/yyyy, periods in words (« de janvier 2024 à décembre 2025 »).

export type Values = Record<string, string>;
export interface View {
  values: Values;
  flags: Record<string, boolean>;
  rows: Values[];
}

const d = formatDateFr;
const nf2 = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** The one format of hours on attestations: 651,50 h, 5 000,00 h. */
export const hoursText = (centihours: number): string => `${nf2.format(centihours / 100)}\u00a0h`;
const h = hoursText;

const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];
/** 2024-01 -> « janvier 2024 ». */
export const monthWords = (month: string): string => `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
/** « de janvier 2024 à décembre 2025 », or « en mars 2024 » for one month. */
export const periodWords = (from: string, to: string): string =>
  from === to ? `en ${monthWords(from)}` : `de ${monthWords(from)} à ${monthWords(to)}`;

/** Readable contract types, never cut (tables wrap long cells). */
export const CONTRACT_TYPE_WORDS: Record<string, string> = {
  CDI: 'CDI',
  CDD: 'CDD',
  INTERIM: 'Intérim',
  CDDI: 'CDDI',
  PRO: 'Contrat de professionnalisation',
  APPRENTISSAGE: 'Apprentissage',
  AUTRE: 'Autre',
};
const typeWords = (t: string) => CONTRACT_TYPE_WORDS[t] ?? t;

/**
 * Who attests, as the subject of a sentence, and the participle that agrees with it:
 * « Le PLIE du Douaisis, chargé de… », « L’équipe du programme ERBM, chargée de… ».
 * The wording per kind of structure lives in templates/attestations/common.json.
 */
function issuerWords(f: Facts, common: CommonTemplate): { subject: string; charged: string } {
  const words = common.issuerWords;
  const kind = f.issuer.structureCode ? (f.issuer.structureKind ?? 'structure') : 'team';
  const w = words?.[kind] ?? words?.structure;
  if (!w) return { subject: f.issuer.structureName, charged: 'chargée' };
  return { subject: w.subject.replace('{name}', f.issuer.structureName), charged: w.charged };
}

function base(f: Facts, common: CommonTemplate): Values {
  const who = issuerWords(f, common);
  return {
    number: f.number,
    issueDate: d(f.issueDate),
    place: f.place,
    verifyUrl: f.verifyUrl,
    'programme.name': f.programme.name,
    // Kept for templates stored with attestations issued before signatories had a function.
    'issuer.name': f.issuer.name ?? f.issuer.structureName,
    'issuer.roleLabel': f.issuer.roleLabel,
    'issuer.structureName': f.issuer.structureName,
    'issuer.subject': who.subject,
    'issuer.charged': who.charged,
    'signatory.name': f.issuer.name ?? '',
    'signatory.function': f.issuer.name ? (f.issuer.function ?? '') : '',
  };
}

function clauseView(f: ClauseFacts, t: KindTemplate, common: CommonTemplate): View {
  const labels = t.labels ?? {};
  return {
    values: {
      ...base(f, common),
      'marche.ref': f.marche.ref,
      'marche.title': f.marche.title,
      'marche.startDate': d(f.marche.startDate),
      'marche.endDate': d(f.marche.endDate),
      'cite.name': f.cite.name,
      'cite.commune': f.cite.commune,
      'contractor.name': f.contractor.name,
      'contractor.siret': f.contractor.siret,
      requiredHours: h(f.requiredCentihours),
      realisedHours: h(f.realisedCentihours),
      remainingHours: h(f.remainingCentihours),
      contractCount: formatIntFr(f.contracts.length),
      tableTotalHours: h(f.realisedCentihours),
      fulfilledLabel: f.fulfilled ? (labels.fulfilledYes ?? 'oui') : (labels.fulfilledNo ?? 'non'),
    },
    flags: { fulfilled: f.fulfilled },
    rows: f.contracts.map((c) => ({
      ref: c.ref,
      participant: c.initials ? `${c.initials} (${c.participantRef})` : c.participantRef,
      type: typeWords(c.contractType),
      start: d(c.startDate),
      end: d(c.endDate),
      hours: h(c.centihours),
    })),
  };
}

function participantView(f: ParticipantFacts, common: CommonTemplate): View {
  const fullName =
    [f.person.firstName, f.person.lastName].filter(Boolean).join('\u00a0') || `la personne ${f.person.ref}`; // one unbroken name
  // Older facts had no period: the contracts' dates stood for it.
  const starts = f.contracts.map((c) => c.startDate).sort();
  const ends = f.contracts.map((c) => c.endDate).sort();
  const period = f.period === undefined ? null : f.period;
  return {
    values: {
      ...base(f, common),
      'person.fullName': fullName,
      'person.ref': f.person.ref,
      totalHours: h(f.totalCentihours),
      tableTotalHours: h(f.totalCentihours),
      contractCount: formatIntFr(f.contracts.length),
      firstDate: starts.length ? d(starts[0]!) : '—',
      lastDate: ends.length ? d(ends[ends.length - 1]!) : '—',
      period: period ? periodWords(period.from, period.to) : '—',
    },
    flags: {},
    rows: f.contracts.map((c) => ({
      ref: c.ref,
      marche: c.marcheRef,
      cite: c.citeName,
      type: typeWords(c.contractType),
      start: d(c.startDate),
      end: d(c.endDate),
      hours: h(c.centihours),
    })),
  };
}

function rsaView(f: RsaFacts, common: CommonTemplate): View {
  return {
    values: {
      ...base(f, common),
      'departement.label': `${f.departement.name} (${f.departement.code})`,
      'period.from': `${f.period.from.slice(5, 7)}/${f.period.from.slice(0, 4)}`,
      'period.to': `${f.period.to.slice(5, 7)}/${f.period.to.slice(0, 4)}`,
      'period.words': periodWords(f.period.from, f.period.to),
      hours: h(f.centihours),
      tableTotalHours: h(f.centihours),
      beneficiaries: formatIntFr(f.beneficiaries),
      contracts: formatIntFr(f.contracts),
    },
    flags: {},
    rows: f.byCite.map((c) => ({
      cite: c.name,
      commune: c.commune,
      beneficiaries: formatIntFr(c.beneficiaries),
      contracts: formatIntFr(c.contracts),
      hours: h(c.centihours),
    })),
  };
}

export function buildView(f: Facts, t: KindTemplate, common: CommonTemplate): View {
  switch (f.kind) {
    case 'clause':
      return clauseView(f, t, common);
    case 'participant':
      return participantView(f, common);
    case 'rsa':
      return rsaView(f, common);
  }
}
