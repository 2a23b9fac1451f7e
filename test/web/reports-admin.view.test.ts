import { describe, expect, it } from 'vitest';
import { monthChart, niceCeiling, niceWholeCeiling } from '../../src/web/reports/month-chart.js';
import { chartSummary, periodLabel, queryString, rsaView } from '../../src/web/reports/rsa.view.js';
import { breakdownView } from '../../src/web/reports/breakdown.view.js';
import { auditView, closedMonthRow, detailLines, statusOf, accountRow } from '../../src/web/admin/admin.view.js';
import type { RsaReport } from '../../src/reports/rsa.service.js';
import type { Breakdown } from '../../src/reports/breakdown.service.js';

const NNBSP = '\u202f';
const NBSP = '\u00a0';

const report: RsaReport = {
  departement: '62',
  programme: 'erbm',
  from: '2024-01',
  to: '2024-12',
  beneficiaries: 2,
  hours: 1290.5,
  contracts: 3,
  byContractType: [{ contractType: 'CDD', label: 'CDD', contracts: 3, beneficiaries: 2, hours: 1290.5 }],
  byMonth: [
    { month: '2024-02', hours: 0, beneficiaries: 0, newBeneficiaries: 0, newContracts: 1 },
    { month: '2024-03', hours: 40, beneficiaries: 1, newBeneficiaries: 1, newContracts: 0 },
    { month: '2024-04', hours: 1250.5, beneficiaries: 2, newBeneficiaries: 1, newContracts: 2 },
  ],
  exits: {
    contracts: 1,
    byOutcome: [
      { outcome: 'CDI', label: 'Emploi durable : CDI', contracts: 1 },
      { outcome: null, label: 'Sortie non renseignée', contracts: 0 },
    ],
  },
};

describe('RSA report view', () => {
  it('speaks French: hours, months, plurals, period and download links with the period', () => {
    const v = rsaView(report);
    expect(v.heading).toBe('Rapport RSA — Pas-de-Calais (62)');
    expect(v.period).toBe('de 01/2024 à 12/2024');
    expect(v.figures.map((f) => `${f.value} ${f.label}`)).toEqual([
      `1${NNBSP}290,5${NBSP}h réalisées par des bénéficiaires du RSA`,
      '2 bénéficiaires du RSA',
      '3 contrats',
      '1 sortie de contrat',
    ]);
    expect(v.months[2]).toEqual({
      month: '04/2024',
      hours: `1${NNBSP}250,5${NBSP}h`,
      beneficiaries: '2',
      newBeneficiaries: '1',
      newContracts: '2',
    });
    expect(v.downloads).toEqual({
      csv: '/rapports/rsa.csv?departement=62&from=2024-01&to=2024-12',
      xlsx: '/rapports/rsa.xlsx?departement=62&from=2024-01&to=2024-12',
    });
    expect(v.exits.rows[0]).toEqual({ label: 'Emploi durable : CDI', contracts: '1' });
  });

  it('summarises the chart in one sentence, and says so when there is nothing', () => {
    expect(chartSummary(report)).toBe(
      `De 03/2024 à 04/2024, 2 mois avec des heures : le plus fourni est 04/2024 (1${NNBSP}250,5${NBSP}h) ; jusqu’à 2 bénéficiaires par mois.`,
    );
    expect(chartSummary({ byMonth: [] })).toBe('Aucune heure de bénéficiaire du RSA sur la période.');
    expect(rsaView({ ...report, byMonth: [] }).chart).toBeNull();
  });

  it('names periods and builds query strings without empty values', () => {
    expect(periodLabel({})).toBe('depuis le début du programme');
    expect(periodLabel({ from: '2024-03' })).toBe('depuis 03/2024');
    expect(periodLabel({ to: '2025-01' })).toBe('jusqu’à 01/2025');
    expect(queryString({ a: '1', b: null, c: '', d: 'x y' })).toBe('?a=1&d=x+y');
    expect(queryString({ a: undefined })).toBe('');
  });
});

describe('month chart geometry', () => {
  it('rounds axes up to a round maximum whose half is round too', () => {
    expect([niceCeiling(0, 10), niceCeiling(7), niceCeiling(11), niceCeiling(151.67), niceCeiling(256.5)]).toEqual([
      10, 8, 15, 200, 300,
    ]);
    expect([niceCeiling(1250.5), niceCeiling(0.13, 0.1), niceCeiling(5000)]).toEqual([1500, 0.15, 5000]);
    expect([0, 1, 2, 3, 5, 7, 9, 11, 150].map(niceWholeCeiling)).toEqual([2, 2, 2, 4, 6, 8, 10, 20, 150]);
  });

  it('draws bars in proportion to hours and dots to beneficiaries, inside the plot', () => {
    const c = monthChart(report.byMonth);
    const { top, bottom } = c.plot;
    expect(c.bars).toHaveLength(3);
    expect(c.bars[0].h).toBe(0);
    // 1 250,5 h on an axis of 1 500 h
    expect(c.bars[2].h).toBeCloseTo(((bottom - top) * 1250.5) / 1500, 0);
    expect(c.bars[2].y + c.bars[2].h).toBeCloseTo(bottom, 5);
    expect(c.dots.map((d) => d.cy)).toEqual([bottom, top + (bottom - top) / 2, top]);
    expect(c.line.split(' ')).toHaveLength(3);
    expect(c.hoursTicks.map((t) => t.text)).toEqual([`0${NBSP}h`, `750${NBSP}h`, `1${NNBSP}500${NBSP}h`]);
    expect(c.peopleTicks.map((t) => t.text)).toEqual(['0', '1', '2']);
    expect(c.bars[2].title).toBe(`04/2024 : 1${NNBSP}250,5${NBSP}h, 2 bénéficiaires`);
    for (const b of c.bars) expect(b.x + b.w).toBeLessThanOrEqual(c.plot.right);
  });

  it('keeps month labels apart on long periods', () => {
    const months = Array.from({ length: 36 }, (_, i) => ({
      month: `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
      hours: i,
      beneficiaries: 1,
    }));
    const c = monthChart(months);
    const xs = c.xLabels.map((l) => l.x);
    for (let i = 1; i < xs.length; i++) expect(xs[i] - xs[i - 1]).toBeGreaterThanOrEqual(52);
    expect(c.xLabels[0].text).toBe('01/2024');
    expect(c.width).toBeLessThanOrEqual(1100);
  });
});

describe('breakdown view', () => {
  const b: Breakdown = {
    programme: 'erbm',
    groupBy: ['contractor', 'year'],
    from: null,
    to: '2024-12',
    rows: [
      {
        contractor: '73282932000074',
        contractorLabel: 'BTP du Nord',
        year: 2024,
        hours: 151.67,
        beneficiaries: 1,
        contracts: 1,
      },
    ],
    totals: { hours: 151.67, beneficiaries: 1, contracts: 1 },
  };
  it('heads, labels and links a two-dimension breakdown', () => {
    const v = breakdownView(b);
    expect(v.heading).toBe('Heures par entreprise et par année');
    expect(v.period).toBe('jusqu’à 12/2024');
    expect(v.columns).toEqual(['Entreprise', 'Année']);
    expect(v.rows).toEqual([
      { cells: ['BTP du Nord (73282932000074)', '2024'], hours: `151,67${NBSP}h`, beneficiaries: '1', contracts: '1' },
    ]);
    expect(v.downloads.csv).toBe('/rapports/heures.csv?groupBy=contractor%2Cyear&to=2024-12');
    expect(v.downloads.xlsx).toContain('/rapports/heures.xlsx?');
    expect(breakdownView({ ...b, groupBy: ['epci'], rows: [] }).heading).toBe('Heures par EPCI');
    expect(
      breakdownView({
        ...b,
        groupBy: ['month'],
        rows: [{ month: '2024-03', hours: 1, beneficiaries: 1, contracts: 1 }],
      }).rows[0].cells,
    ).toEqual(['03/2024']);
  });
});

describe('admin views', () => {
  const now = '2026-11-24T10:00:00.000Z';
  it('says whether an account is active, disabled or locked, and what it is bound to', () => {
    expect(statusOf({ disabledAt: null, lockedUntil: null }, now)).toEqual({ code: 'active', label: 'Actif' });
    expect(statusOf({ disabledAt: '2026-11-20T08:00:00.000Z', lockedUntil: null }, now).label).toBe(
      'Désactivé le 20/11/2026',
    );
    expect(statusOf({ disabledAt: null, lockedUntil: '2026-11-24T10:15:00.000Z' }, now).label).toBe(
      'Bloqué jusqu’au 24/11/2026 à 10:15',
    );
    expect(statusOf({ disabledAt: null, lockedUntil: '2026-11-24T09:00:00.000Z' }, now).code).toBe('active');
    const row = accountRow(
      {
        id: 7,
        name: 'CD 62',
        function: null,
        email: null,
        role: 'departement',
        structure: null,
        contractorSiren: null,
        contractorSiret: null,
        departement: '62',
        hasPassword: false,
        disabledAt: null,
        lockedUntil: null,
        lastLoginAt: null,
        createdAt: now,
      },
      now,
    );
    expect(row).toMatchObject({
      href: '/admin/comptes/7',
      role: 'Département',
      scope: 'Pas-de-Calais (62)',
      email: '—',
      login: 'Jeton seulement',
    });
  });

  it('lists details as French lines and pages the log keeping its filters', () => {
    expect(detailLines({ month: '2024-03', reason: 'Erreur', via: null })).toEqual([
      'mois : 03/2024',
      'motif : Erreur',
    ]);
    expect(detailLines({ tokenId: 3, categories: ['RSA'] })).toEqual(['jeton n° : 3', 'categories : ["RSA"]']);
    expect(detailLines(null)).toEqual([]);
    const v = auditView(
      {
        items: [
          {
            id: 41,
            at: now,
            action: 'month.reopen',
            entity: 'structure',
            ref: 'plie-bethune',
            account: { id: 1, name: 'Admin', role: 'admin' },
            details: { month: '2024-03', reason: 'Oubli' },
          },
        ],
        generatedAt: now,
        next: { before: 41 },
      },
      { action: 'month.', from: '2026-11-01' },
      50,
    );
    expect(v.rows[0]).toMatchObject({ at: '24/11/2026 à 10:00', account: 'Admin', accountHref: '/admin/comptes/1' });
    expect(v.older).toBe('/admin/journal?action=month.&from=2026-11-01&before=41');
    expect(v.newest).toBe('/admin/journal?action=month.&from=2026-11-01');
    expect(closedMonthRow({ structure: 'plie-bethune', month: '2024-03', closedAt: now })).toMatchObject({
      month: '03/2024',
      action: '/admin/mois/plie-bethune/2024-03/rouvrir',
    });
  });
});
