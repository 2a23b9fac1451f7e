import { formatHoursFr } from '../../lib/hours.js';
import { formatIntFr, formatMonthFr } from '../../lib/html.js';
import type { RsaReport } from '../../reports/rsa.service.js';
import { type MonthChart, monthChart } from './month-chart.js';

// The view-model of /rapports/rsa: the RSA report of one Département as the page shows it
// (French numbers and months), the chart's geometry and its summary, the download links.

export const DEPARTEMENT_NAMES: Record<string, string> = { '59': 'Nord', '62': 'Pas-de-Calais' };

const hours = (h: number) => formatHoursFr(Math.round(h * 100));

export interface PeriodInput {
  from?: string | null; // yyyy-MM
  to?: string | null;
}

/** "de 01/2024 à 12/2024", "depuis 01/2024", "jusqu’à 12/2024" or "depuis le début du programme". */
export function periodLabel(p: PeriodInput): string {
  if (p.from && p.to) return `de ${formatMonthFr(p.from)} à ${formatMonthFr(p.to)}`;
  if (p.from) return `depuis ${formatMonthFr(p.from)}`;
  if (p.to) return `jusqu’à ${formatMonthFr(p.to)}`;
  return 'depuis le début du programme';
}

/** A query string of the non-empty values, in the order given. */
export function queryString(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** One sentence that says what the chart shows, for those who cannot see it. */
export function chartSummary(r: Pick<RsaReport, 'byMonth'>): string {
  const months = r.byMonth.filter((m) => m.hours !== 0 || m.beneficiaries !== 0);
  if (!months.length) return 'Aucune heure de bénéficiaire du RSA sur la période.';
  const top = months.reduce((a, b) => (b.hours > a.hours ? b : a));
  const most = Math.max(...months.map((m) => m.beneficiaries));
  const first = formatMonthFr(months[0].month);
  const last = formatMonthFr(months[months.length - 1].month);
  const span = first === last ? `En ${first}` : `De ${first} à ${last}`;
  return `${span}, ${months.length} mois avec des heures : le plus fourni est ${formatMonthFr(top.month)} (${hours(top.hours)}) ; jusqu’à ${formatIntFr(most)} bénéficiaire${most > 1 ? 's' : ''} par mois.`;
}

export interface RsaView {
  heading: string;
  period: string;
  figures: Array<{ value: string; label: string }>;
  chart: MonthChart | null;
  chartSummary: string;
  months: Array<{
    month: string;
    hours: string;
    beneficiaries: string;
    newBeneficiaries: string;
    newContracts: string;
  }>;
  contractTypes: Array<{ label: string; hours: string; beneficiaries: string; contracts: string }>;
  exits: { total: string; noun: string; rows: Array<{ label: string; contracts: string }> };
  downloads: { csv: string; xlsx: string };
}

export function rsaView(r: RsaReport): RsaView {
  const q = queryString({ departement: r.departement, from: r.from, to: r.to });
  const plural = (n: number, one: string, many: string) => (n > 1 ? many : one);
  return {
    heading: `Rapport RSA — ${DEPARTEMENT_NAMES[r.departement] ?? ''} (${r.departement})`,
    period: periodLabel(r),
    figures: [
      { value: hours(r.hours), label: 'réalisées par des bénéficiaires du RSA' },
      {
        value: formatIntFr(r.beneficiaries),
        label: plural(r.beneficiaries, 'bénéficiaire du RSA', 'bénéficiaires du RSA'),
      },
      { value: formatIntFr(r.contracts), label: plural(r.contracts, 'contrat', 'contrats') },
      {
        value: formatIntFr(r.exits.contracts),
        label: plural(r.exits.contracts, 'sortie de contrat', 'sorties de contrat'),
      },
    ],
    chart: r.byMonth.length ? monthChart(r.byMonth) : null,
    chartSummary: chartSummary(r),
    months: r.byMonth.map((m) => ({
      month: formatMonthFr(m.month),
      hours: hours(m.hours),
      beneficiaries: formatIntFr(m.beneficiaries),
      newBeneficiaries: formatIntFr(m.newBeneficiaries),
      newContracts: formatIntFr(m.newContracts),
    })),
    contractTypes: r.byContractType.map((t) => ({
      label: t.label,
      hours: hours(t.hours),
      beneficiaries: formatIntFr(t.beneficiaries),
      contracts: formatIntFr(t.contracts),
    })),
    exits: {
      total: formatIntFr(r.exits.contracts),
      noun: plural(r.exits.contracts, 'contrat terminé', 'contrats terminés'),
      rows: r.exits.byOutcome.map((o) => ({ label: o.label, contracts: formatIntFr(o.contracts) })),
    },
    downloads: { csv: `/rapports/rsa.csv${q}`, xlsx: `/rapports/rsa.xlsx${q}` },
  };
}
