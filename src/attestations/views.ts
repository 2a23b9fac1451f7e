import { formatDateFr } from '../lib/dates.js';
import { formatHoursFr } from '../lib/hours.js';
import { formatIntFr, formatMonthFr } from '../lib/html.js';
import type { ClauseFacts, Facts, ParticipantFacts, RsaFacts } from './facts.js';
import type { KindTemplate } from './templates.js';

// Facts -> the French strings the templates refer to ({key}). Formatting lives here, once:
// numbers `360 000` (U+202F), hours `151,67 h`, dates dd/MM/yyyy, months MM/yyyy.

export type Values = Record<string, string>;
export interface View {
  values: Values;
  flags: Record<string, boolean>;
  rows: Values[];
}

const d = formatDateFr;
const h = formatHoursFr;
// Table columns align on the decimal comma: always two decimals there (152,10 h).
const nf2 = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const h2 = (centihours: number): string => `${nf2.format(centihours / 100)}\u00a0h`;

function base(f: Facts): Values {
  return {
    number: f.number,
    issueDate: d(f.issueDate),
    place: f.place,
    verifyUrl: f.verifyUrl,
    'programme.name': f.programme.name,
    'issuer.name': f.issuer.name,
    'issuer.roleLabel': f.issuer.roleLabel,
    'issuer.structureName': f.issuer.structureName,
  };
}

function clauseView(f: ClauseFacts, t: KindTemplate): View {
  const labels = t.labels ?? {};
  return {
    values: {
      ...base(f),
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
      tableTotalHours: h2(f.realisedCentihours),
      fulfilledLabel: f.fulfilled ? (labels.fulfilledYes ?? 'oui') : (labels.fulfilledNo ?? 'non'),
    },
    flags: { fulfilled: f.fulfilled },
    rows: f.contracts.map((c) => ({
      ref: c.ref,
      participant: c.initials ? `${c.initials} (${c.participantRef})` : c.participantRef,
      type: c.contractType,
      start: d(c.startDate),
      end: d(c.endDate),
      hours: h2(c.centihours),
    })),
  };
}

function participantView(f: ParticipantFacts): View {
  const fullName =
    [f.person.firstName, f.person.lastName].filter(Boolean).join('\u00a0') || `la personne ${f.person.ref}`; // one unbroken name
  const starts = f.contracts.map((c) => c.startDate).sort();
  const ends = f.contracts.map((c) => c.endDate).sort();
  return {
    values: {
      ...base(f),
      'person.fullName': fullName,
      'person.ref': f.person.ref,
      totalHours: h(f.totalCentihours),
      tableTotalHours: h2(f.totalCentihours),
      contractCount: formatIntFr(f.contracts.length),
      firstDate: starts.length ? d(starts[0]!) : '—',
      lastDate: ends.length ? d(ends[ends.length - 1]!) : '—',
    },
    flags: {},
    rows: f.contracts.map((c) => ({
      ref: c.ref,
      marche: c.marcheRef,
      cite: c.citeName,
      type: c.contractType,
      start: d(c.startDate),
      end: d(c.endDate),
      hours: h2(c.centihours),
    })),
  };
}

function rsaView(f: RsaFacts): View {
  return {
    values: {
      ...base(f),
      'departement.label': `${f.departement.name} (${f.departement.code})`,
      'period.from': formatMonthFr(f.period.from),
      'period.to': formatMonthFr(f.period.to),
      hours: h(f.centihours),
      tableTotalHours: h2(f.centihours),
      beneficiaries: formatIntFr(f.beneficiaries),
      contracts: formatIntFr(f.contracts),
    },
    flags: {},
    rows: f.byCite.map((c) => ({
      cite: c.name,
      commune: c.commune,
      beneficiaries: formatIntFr(c.beneficiaries),
      contracts: formatIntFr(c.contracts),
      hours: h2(c.centihours),
    })),
  };
}

export function buildView(f: Facts, t: KindTemplate): View {
  switch (f.kind) {
    case 'clause':
      return clauseView(f, t);
    case 'participant':
      return participantView(f);
    case 'rsa':
      return rsaView(f);
  }
}
