import type { z } from 'zod';
import { parseDeclaredCategories } from '../contracts/categories.js';
import { rsaDepartementMessage } from '../contracts/contracts.service.js';
import { ageOn, inCentury, normaliseDate, quoteDateFr, twoDigitYearDate } from '../lib/dates.js';
import { restoreSiretZeros } from '../lib/siret.js';
import { contractTypeField, departementField, modeField, refField, sexField, siretField } from '../core/fields.js';
import type { SeenContract } from './hours.parse.js';

// The cells that describe a contract and its participant on each row of an hours file
// (./hours.parse.ts parses them on a contract's first row, and again on a later row that
// differs): each checked on its own, dates with the two-digit-year rules of docs/imports.md.

export const HOURS_COLUMNS = [
  'marche_ref',
  'contract_ref',
  'participant_ref',
  'birth_date',
  'sex',
  'categories',
  'rsa_departement',
  'employer_siret',
  'contract_type',
  'mode',
  'contract_start',
  'contract_end',
  'month',
  'hours',
] as const;

// Columns that describe the contract (and its participant): equal on every row of a contract.
export const CONTRACT_COLUMNS = HOURS_COLUMNS.filter((c) => c !== 'month' && c !== 'hours');
const OPTIONAL = new Set(['categories', 'rsa_departement']);
const UPPER = new Set(['sex', 'contract_type', 'mode', 'categories']);

// The cells checked one by one (dates and categories have their own rules below).
const CELL_FIELDS: Record<string, z.ZodType> = {
  marche_ref: refField,
  contract_ref: refField,
  participant_ref: refField,
  sex: sexField,
  rsa_departement: departementField,
  employer_siret: siretField,
  contract_type: contractTypeField,
  mode: modeField,
};

/** A birth date's age at the contract's start must lie in this range to pick its century. */
export const BIRTH_AGE_RANGE = [14, 99] as const;

/** A contract's facts as its cells give them (the participant's birth date and sex included). */
export type ContractFacts = Omit<SeenContract, 'idx' | 'line' | 'raw' | 'ledger'> & {
  birthDate: string;
  sex: 'F' | 'M';
};

/** A date of the contract: dd/MM/yyyy, yyyy-MM-dd, or dd/MM/yy read as 20yy. */
function contractDate(s: string, column: string, fail: (c: string, m: string) => void): [string, number] | null {
  const two = twoDigitYearDate(s);
  const iso = two ? inCentury(two, 20) : normaliseDate(s);
  if (!iso) {
    fail(column, `Date « ${s} » invalide (jj/mm/aaaa ou aaaa-mm-jj).`);
    return null;
  }
  return [iso, two ? 1 : 0];
}

/**
 * A birth date; dd/MM/yy takes the century that gives an age of 14 to 99 at the contract's
 * start (one century at most can: the range spans less than 100 years).
 */
function birthDate(s: string, start: string | null, fail: (c: string, m: string) => void): [string, number] | null {
  const two = twoDigitYearDate(s);
  if (!two) {
    const iso = normaliseDate(s);
    if (!iso) fail('birth_date', `Date « ${s} » invalide (jj/mm/aaaa ou aaaa-mm-jj).`);
    return iso ? [iso, 0] : null;
  }
  if (!start) return null; // the start date's own error says what to fix
  const [lo, hi] = BIRTH_AGE_RANGE;
  const readings = ([19, 20] as const).map((c) => inCentury(two, c));
  const fits = readings.filter((r): r is string => !!r && ageOn(r, start) >= lo && ageOn(r, start) <= hi);
  if (fits.length === 1) return [fits[0], 1];
  const told = readings
    .map((r, i) =>
      r
        ? `${quoteDateFr(r)} (${ageOn(r, start)} ans au début du contrat)`
        : `${s.slice(0, -2)}${i === 0 ? 19 : 20}${s.slice(-2)} (date impossible)`,
    )
    .join(' ou ');
  fail(
    'birth_date',
    `Date de naissance « ${s} » à deux chiffres d’année : ${told} ; aucune ne donne un âge de ${lo} à ${hi} ans. ` +
      `Écrivez l’année en quatre chiffres.`,
  );
  return null;
}

/**
 * The cells of a contract (in CONTRACT_COLUMNS order) checked one by one: each bad cell is
 * reported through `err`; the contract's facts when every cell is good.
 */
export function parseContractCells(
  raw: string[],
  today: string,
  err: (c: string, m: string) => void,
): ContractFacts | null {
  const input: Record<string, string> = {};
  const bad = new Set<string>();
  const fail = (c: string, m: string) => {
    bad.add(c);
    err(c, m);
  };
  CONTRACT_COLUMNS.forEach((c, i) => {
    input[c] = UPPER.has(c) ? raw[i].toUpperCase() : raw[i];
    if (!input[c] && !OPTIONAL.has(c)) fail(c, `Valeur obligatoire dans la colonne « ${c} ».`);
  });
  input.employer_siret = restoreSiretZeros(input.employer_siret);
  const value: Record<string, string> = {};
  for (const [c, field] of Object.entries(CELL_FIELDS)) {
    if (bad.has(c) || (OPTIONAL.has(c) && !input[c])) continue;
    const r = field.safeParse(input[c]);
    if (r.success) value[c] = String(r.data);
    else fail(c, r.error.issues[0]?.message ?? `Valeur invalide dans la colonne « ${c} ».`);
  }
  const start = bad.has('contract_start') ? null : contractDate(input.contract_start, 'contract_start', fail);
  const end = bad.has('contract_end') ? null : contractDate(input.contract_end, 'contract_end', fail);
  const birth = bad.has('birth_date') ? null : birthDate(input.birth_date, start?.[0] ?? null, fail);
  const cats = parseDeclaredCategories(input.categories);
  if (!cats.ok) fail('categories', cats.message);
  const rsaDepartement = value.rsa_departement || null;
  if (cats.ok && !bad.has('rsa_departement')) {
    const rsaMsg = rsaDepartementMessage(cats.categories, rsaDepartement);
    if (rsaMsg) fail('rsa_departement', rsaMsg);
  }
  if (start && end && end[0] < start[0]) fail('contract_end', 'La date de fin du contrat précède sa date de début.');
  if (birth && birth[0] > today) fail('birth_date', 'La date de naissance est dans le futur.');
  if (bad.size || !start || !end || !birth || !cats.ok) return null;
  return {
    ref: value.contract_ref,
    participantRef: value.participant_ref,
    marcheRef: value.marche_ref,
    employerSiret: value.employer_siret,
    contractType: value.contract_type as ContractFacts['contractType'],
    mode: value.mode as ContractFacts['mode'],
    startDate: start[0],
    endDate: end[0],
    categories: cats.categories,
    rsaDepartement,
    birthDate: birth[0],
    sex: value.sex as 'F' | 'M',
    twoDigitYears: start[1] + end[1] + birth[1],
  };
}
