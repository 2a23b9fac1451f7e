import type { Knex } from 'knex';

export interface Period {
  from?: string; // yyyy-MM inclusive
  to?: string;
}

/** Contract-month totals of a programme in a period, joined to what reports group by. */
export function programmeMonths(db: Knex, programmeId: number, period: Period) {
  const q = db('contract_months as cm')
    .join('contracts as c', 'c.id', 'cm.contract_id')
    .join('marches as m', 'm.id', 'c.marche_id')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .join('epcis as e', 'e.id', 'ci.epci_id')
    .where('ci.programme_id', programmeId);
  if (period.from) q.where('cm.month', '>=', period.from);
  if (period.to) q.where('cm.month', '<=', period.to);
  return q;
}

// Month totals are never negative, so "hours > 0 in the period" is "some month > 0".
const positive = 'CASE WHEN cm.centihours > 0 THEN';

export const aggregates = {
  hours: 'COALESCE(SUM(cm.centihours), 0) AS centihours',
  beneficiaries: `COUNT(DISTINCT ${positive} c.participant_id END) AS beneficiaries`,
  contracts: `COUNT(DISTINCT ${positive} c.id END) AS contracts`,
  rsaHours: 'COALESCE(SUM(CASE WHEN c.cat_rsa THEN cm.centihours ELSE 0 END), 0) AS rsa_centihours',
  rsaBeneficiaries: `COUNT(DISTINCT CASE WHEN c.cat_rsa AND cm.centihours > 0 THEN c.participant_id END) AS rsa_beneficiaries`,
  jeuneHours: 'COALESCE(SUM(CASE WHEN c.cat_jeune THEN cm.centihours ELSE 0 END), 0) AS jeune_centihours',
  jeuneBeneficiaries: `COUNT(DISTINCT CASE WHEN c.cat_jeune AND cm.centihours > 0 THEN c.participant_id END) AS jeune_beneficiaries`,
};
