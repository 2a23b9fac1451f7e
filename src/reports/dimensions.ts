import { toBool } from '../db/rows.js';
import { ALL_CATEGORIES, CATEGORY_LABELS } from '../contracts/categories.js';

// The dimensions reports group by. Every one is an attribute of a contract (frozen at its
// start, or of its marché / cité), so a contract-month has one key per dimension (or
// several for multi-valued ones: categories, structures). Each dimension has two
// definitions that must agree: `keys` (JS, for the incremental rollups) and `sql` (for the
// set-based rebuild and the exact fallback queries); the property tests check both.

/** What the rollups need to know about a contract. */
export interface ContractFacts {
  id: number;
  participant_id: number;
  programme_id: number;
  marche_id: number;
  cite_id: number;
  epci_id: number;
  departement_code: string;
  bailleur_id: number | null;
  contractor_id: number;
  contract_type: string;
  mode: string;
  categories: string;
  cat_rsa: unknown;
  cat_jeune: unknown;
  cat_senior: unknown;
  rsa_departement: string | null;
  sex: string;
  structure_ids: number[];
}

export interface Dimension {
  code: string;
  /** French column header. */
  label: string;
  /** Offered to `groupBy` (internal ones serve progress and the RSA report). */
  public: boolean;
  keys(c: ContractFacts): string[];
  /** SQL key expression over the aliases of BASE_FROM (plus `join`). */
  sql: string;
  join?: string;
  where?: string;
}

/** Frozen age band, from the categories computed on the contract's start date. */
export function ageBand(c: Pick<ContractFacts, 'cat_jeune' | 'cat_senior'>): string {
  return toBool(c.cat_jeune) ? '<26' : toBool(c.cat_senior) ? '50+' : '26-49';
}

const cats = (c: ContractFacts) => (c.categories ? c.categories.split(',').filter(Boolean) : []);
const text = (expr: string) => `CAST(${expr} AS varchar(64))`;
const categoryCodes = ALL_CATEGORIES.map((code) => `SELECT '${code}' AS code`).join(' UNION ALL ');

export const DIMENSIONS: Dimension[] = [
  { code: 'all', label: 'Total', public: false, keys: () => [''], sql: "''" },
  { code: 'cite', label: 'Cité', public: true, keys: (c) => [String(c.cite_id)], sql: text('m.cite_id') },
  { code: 'epci', label: 'EPCI', public: true, keys: (c) => [String(c.epci_id)], sql: text('ci.epci_id') },
  {
    code: 'structure',
    label: 'Structure',
    public: true,
    keys: (c) => c.structure_ids.map(String),
    sql: text('dse.structure_id'),
    join: 'JOIN structure_epcis dse ON dse.epci_id = ci.epci_id',
  },
  {
    code: 'departement',
    label: 'Département',
    public: true,
    keys: (c) => [c.departement_code],
    sql: 'e.departement_code',
  },
  {
    code: 'bailleur',
    label: 'Bailleur',
    public: true,
    keys: (c) => [c.bailleur_id == null ? '' : String(c.bailleur_id)],
    sql: `COALESCE(${text('ci.bailleur_id')}, '')`,
  },
  {
    code: 'contractor',
    label: 'Entreprise',
    public: true,
    keys: (c) => [String(c.contractor_id)],
    sql: text('m.contractor_id'),
  },
  { code: 'marche', label: 'Marché', public: true, keys: (c) => [String(c.marche_id)], sql: text('c.marche_id') },
  {
    code: 'category',
    label: 'Catégorie',
    public: true,
    keys: cats,
    sql: 'dcat.code',
    join: `JOIN (${categoryCodes}) dcat ON (',' || c.categories || ',') LIKE ('%,' || dcat.code || ',%')`,
  },
  {
    code: 'contractType',
    label: 'Type de contrat',
    public: true,
    keys: (c) => [c.contract_type],
    sql: 'c.contract_type',
  },
  { code: 'mode', label: 'Mode', public: true, keys: (c) => [c.mode], sql: 'c.mode' },
  { code: 'sex', label: 'Sexe', public: true, keys: (c) => [c.sex], sql: 'p.sex' },
  {
    code: 'ageBand',
    label: 'Tranche d’âge',
    public: true,
    keys: (c) => [ageBand(c)],
    sql: "CASE WHEN c.cat_jeune THEN '<26' WHEN c.cat_senior THEN '50+' ELSE '26-49' END",
  },
  // RSA beneficiaries by the cité's Département (progress), and by paying Département.
  {
    code: 'departementRsa',
    label: 'Département (RSA)',
    public: false,
    keys: (c) => (toBool(c.cat_rsa) ? [c.departement_code] : []),
    sql: 'e.departement_code',
    where: 'c.cat_rsa',
  },
  {
    code: 'rsaPayer',
    label: 'Département payeur du RSA',
    public: false,
    keys: (c) => (toBool(c.cat_rsa) && c.rsa_departement ? [c.rsa_departement] : []),
    sql: 'c.rsa_departement',
    where: 'c.cat_rsa AND c.rsa_departement IS NOT NULL',
  },
  {
    code: 'rsaPayerType',
    label: 'Département payeur et type de contrat',
    public: false,
    keys: (c) => (toBool(c.cat_rsa) && c.rsa_departement ? [`${c.rsa_departement}|${c.contract_type}`] : []),
    sql: "c.rsa_departement || '|' || c.contract_type",
    where: 'c.cat_rsa AND c.rsa_departement IS NOT NULL',
  },
];

export const DIMENSION_BY_CODE = new Map(DIMENSIONS.map((d) => [d.code, d]));
export const PUBLIC_DIMENSIONS = DIMENSIONS.filter((d) => d.public).map((d) => d.code);
export const TIME_DIMENSIONS = ['month', 'year'] as const;

/** The joins every report query starts from: contract-month totals and their contracts. */
export const BASE_FROM = `FROM contract_months cm
  JOIN contracts c ON c.id = cm.contract_id
  JOIN marches m ON m.id = c.marche_id
  JOIN cites ci ON ci.id = m.cite_id
  JOIN epcis e ON e.id = ci.epci_id
  JOIN participants p ON p.id = c.participant_id`;

export { CATEGORY_LABELS };
