import { differenceInYears, parseISO } from 'date-fns';
import type { Knex } from 'knex';

// Brute force: every report figure recomputed from the raw hour entries, in plain JS,
// without the rollups and without src/reports (age bands from birth dates, codes from tables).

export interface Period {
  from?: string;
  to?: string;
}
export interface Fact {
  contractId: number;
  participantId: number;
  month: string;
  total: number;
  cite: string;
  citeName: string;
  epci: string;
  departement: string;
  bailleur: string | null;
  contractor: string;
  marche: string;
  structures: string[];
  categories: string[];
  contractType: string;
  mode: string;
  sex: string;
  ageBand: string;
  rsaDepartement: string | null;
}

export async function loadFacts(db: Knex): Promise<Fact[]> {
  const sums = await db('hour_entries')
    .select('contract_id', 'month')
    .sum({ total: 'centihours' })
    .groupBy('contract_id', 'month');
  const contracts = await db('contracts as c')
    .join('marches as m', 'm.id', 'c.marche_id')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .join('epcis as e', 'e.id', 'ci.epci_id')
    .leftJoin('bailleurs as b', 'b.id', 'ci.bailleur_id')
    .join('contractors as co', 'co.id', 'm.contractor_id')
    .join('participants as p', 'p.id', 'c.participant_id')
    .select(
      'c.*',
      'ci.code as cite',
      'ci.name as cite_name',
      'e.code as epci',
      'e.id as epci_id',
      'e.departement_code',
      'b.code as bailleur',
      'co.siret',
      'm.ref as marche',
      'p.sex',
      'p.birth_date',
    );
  const links = await db('structure_epcis as se')
    .join('structures as s', 's.id', 'se.structure_id')
    .select('se.epci_id', 's.code');
  const byId = new Map(contracts.map((c: any) => [c.id, c]));
  return sums.map((s: any) => {
    const c: any = byId.get(s.contract_id);
    const age = differenceInYears(parseISO(c.start_date), parseISO(c.birth_date));
    return {
      contractId: c.id,
      participantId: c.participant_id,
      month: s.month,
      total: Number(s.total),
      cite: c.cite,
      citeName: c.cite_name,
      epci: c.epci,
      departement: c.departement_code,
      bailleur: c.bailleur ?? null,
      contractor: c.siret,
      marche: c.marche,
      structures: links.filter((l: any) => l.epci_id === c.epci_id).map((l: any) => l.code),
      categories: c.categories ? c.categories.split(',') : [],
      contractType: c.contract_type,
      mode: c.mode,
      sex: c.sex,
      ageBand: age < 26 ? '<26' : age >= 50 ? '50+' : '26-49',
      rsaDepartement: c.rsa_departement ?? null,
    };
  });
}

export const inPeriod = (p: Period, m: string) => (!p.from || m >= p.from) && (!p.to || m <= p.to);

/** Values of a dimension for a fact, as the API shows them (codes; year as a number). */
export function valuesOf(f: Fact, dim: string): Array<string | number | null> {
  switch (dim) {
    case 'year':
      return [Number(f.month.slice(0, 4))];
    case 'structure':
      return f.structures;
    case 'category':
      return f.categories;
    default:
      return [(f as any)[dim]];
  }
}

export interface Agg {
  hours: number;
  people: Set<number>;
  contracts: Set<number>;
}
const agg = (): Agg => ({ hours: 0, people: new Set(), contracts: new Set() });
function add(a: Agg, f: Fact) {
  a.hours += f.total;
  if (f.total > 0) a.people.add(f.participantId), a.contracts.add(f.contractId);
}

export function total(facts: Fact[], p: Period, keep: (f: Fact) => boolean = () => true): Agg {
  const a = agg();
  for (const f of facts) if (inPeriod(p, f.month) && keep(f)) add(a, f);
  return a;
}

/** Expected breakdown rows: group values, hours (centihours), beneficiaries, contracts. */
export function breakdown(facts: Fact[], groupBy: string[], p: Period) {
  const groups = new Map<string, { values: Array<string | number | null>; a: Agg }>();
  for (const f of facts) {
    if (!inPeriod(p, f.month)) continue;
    let combos: Array<Array<string | number | null>> = [[]];
    for (const g of groupBy) combos = combos.flatMap((c) => valuesOf(f, g).map((v) => [...c, v]));
    for (const values of combos) {
      const k = JSON.stringify(values);
      if (!groups.has(k)) groups.set(k, { values, a: agg() });
      add(groups.get(k)!.a, f);
    }
  }
  return [...groups.values()]
    .filter(({ a }) => a.hours !== 0 || a.people.size > 0)
    .map(({ values, a }) => ({
      key: JSON.stringify(values),
      hours: a.hours,
      beneficiaries: a.people.size,
      contracts: a.contracts.size,
    }))
    .sort((x, y) => x.key.localeCompare(y.key));
}
