import type { Column } from './export.js';
import type { RsaReport } from './rsa.service.js';

// The RSA report as one table for CSV and XLSX: one line per figure, with its section, so that
// a spreadsheet filter on "Rubrique" gives back each table of the report (totals, months,
// contract types, exits). Months are written yyyy-MM (sortable); the page shows them mm/aaaa.

export const RSA_COLUMNS: Column[] = [
  { key: 'section', header: 'Rubrique', kind: 'text' },
  { key: 'item', header: 'Libellé', kind: 'text' },
  { key: 'hours', header: 'Heures', kind: 'hours' },
  { key: 'beneficiaries', header: 'Bénéficiaires', kind: 'int' },
  { key: 'newBeneficiaries', header: 'Nouveaux bénéficiaires', kind: 'int' },
  { key: 'contracts', header: 'Contrats', kind: 'int' },
];

export function rsaRows(r: RsaReport): Array<Record<string, unknown>> {
  return [
    {
      section: 'Total',
      item: `Département ${r.departement}`,
      hours: r.hours,
      beneficiaries: r.beneficiaries,
      contracts: r.contracts,
    },
    ...r.byMonth.map((m) => ({
      section: 'Mois',
      item: m.month,
      hours: m.hours,
      beneficiaries: m.beneficiaries,
      newBeneficiaries: m.newBeneficiaries,
      contracts: m.newContracts,
    })),
    ...r.byContractType.map((t) => ({
      section: 'Type de contrat',
      item: t.label,
      hours: t.hours,
      beneficiaries: t.beneficiaries,
      contracts: t.contracts,
    })),
    ...r.exits.byOutcome.map((o) => ({ section: 'Sortie', item: o.label, contracts: o.contracts })),
  ];
}

/** File name of an export: rapport-rsa-62, then the period when there is one. */
export const rsaFileName = (r: Pick<RsaReport, 'departement' | 'from' | 'to'>) =>
  ['rapport-rsa', r.departement, r.from && `de-${r.from}`, r.to && `a-${r.to}`].filter(Boolean).join('-');
