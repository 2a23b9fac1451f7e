import { formatHoursFr } from '../../lib/hours.js';
import { formatIntFr, formatMonthFr } from '../../lib/html.js';
import { type Breakdown, TIME_LABELS } from '../../reports/breakdown.service.js';
import { DIMENSION_BY_CODE } from '../../reports/dimensions.js';
import { periodLabel, queryString } from './rsa.view.js';

// The view-model of /rapports: one breakdown of the hours (by one dimension, optionally
// detailed by a second) as a table, its totals and its download links.

/** The dimensions the page offers, the usual ones first. */
export const PAGE_DIMENSIONS = [
  'cite',
  'epci',
  'bailleur',
  'contractor',
  'sex',
  'ageBand',
  'contractType',
  'mode',
  'year',
  'month',
  'departement',
  'structure',
  'category',
  'marche',
] as const;

export const dimensionLabel = (code: string): string => TIME_LABELS[code] ?? DIMENSION_BY_CODE.get(code)?.label ?? code;

/** "cité", "EPCI", "Département": the label inside a sentence. */
const inSentence = (code: string): string => {
  const l = dimensionLabel(code);
  return l === l.toUpperCase() || code === 'departement' ? l : l.charAt(0).toLowerCase() + l.slice(1);
};

export const dimensionOptions = () => PAGE_DIMENSIONS.map((value) => ({ value, label: dimensionLabel(value) }));

export interface BreakdownView {
  heading: string;
  period: string;
  columns: string[]; // one per dimension
  rows: Array<{ cells: string[]; hours: string; beneficiaries: string; contracts: string }>;
  totals: { hours: string; beneficiaries: string; contracts: string };
  downloads: { csv: string; xlsx: string };
}

const cellOf = (row: Breakdown['rows'][number], dim: string): string => {
  const v = row[dim];
  if (dim === 'month') return formatMonthFr(String(v));
  if (dim === 'year') return String(v);
  const label = row[`${dim}Label`];
  const code = v == null ? '' : String(v);
  // Codes people know by heart (SIRET, cité code) go after the name; plain labels alone.
  return label && label !== code && ['contractor', 'marche'].includes(dim)
    ? `${label} (${code})`
    : String(label ?? code);
};

const MASKED = 'masqué';

export function breakdownView(b: Breakdown): BreakdownView {
  const q = queryString({ groupBy: b.groupBy.join(','), from: b.from, to: b.to });
  return {
    heading: `Heures par ${b.groupBy.map(inSentence).join(' et par ')}`,
    period: periodLabel(b),
    columns: b.groupBy.map(dimensionLabel),
    rows: b.rows.map((r) => ({
      cells: b.groupBy.map((g) => cellOf(r, g)),
      // A suppressed cell (fewer than 3 persons outside the viewer's scope) shows no figure.
      hours: r.hours === null ? MASKED : formatHoursFr(Math.round(r.hours * 100)),
      beneficiaries: r.beneficiaries === null ? MASKED : formatIntFr(r.beneficiaries),
      contracts: r.contracts === null ? MASKED : formatIntFr(r.contracts),
    })),
    totals: {
      hours: formatHoursFr(Math.round(b.totals.hours * 100)),
      beneficiaries: formatIntFr(b.totals.beneficiaries),
      contracts: formatIntFr(b.totals.contracts),
    },
    downloads: { csv: `/rapports/heures.csv${q}`, xlsx: `/rapports/heures.xlsx${q}` },
  };
}
