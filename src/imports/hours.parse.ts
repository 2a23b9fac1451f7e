import { z } from 'zod';
import { parseDeclaredCategories } from '../contracts/categories.js';
import { rsaDepartementMessage, type ContractInput } from '../contracts/contracts.service.js';
import { monthOutsideContract, monthTotalViolation } from '../hours/ledger.service.js';
import { parseHours } from '../lib/hours.js';
import { normaliseMonth } from '../lib/dates.js';
import {
  contractTypeField,
  dateField,
  departementField,
  modeField,
  refField,
  sexField,
  siretField,
} from '../core/fields.js';
import { ErrorList, IntColumn, monthCode } from './compact.js';
import type { CsvRow, RowError } from './csv.js';

// First pass of an hours import, row by row as the file streams in: checks every field,
// records participants and contracts on first sight and checks later rows agree with them,
// and keeps only (contract, month, hours, line) of each row, in typed arrays.

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
const CONTRACT_COLUMNS = HOURS_COLUMNS.filter((c) => c !== 'month' && c !== 'hours');
const OPTIONAL = new Set(['categories', 'rsa_departement']);
const UPPER = new Set(['sex', 'contract_type', 'mode', 'categories']);

const contractSchema = z.object({
  marche_ref: refField,
  contract_ref: refField,
  participant_ref: refField,
  birth_date: dateField,
  sex: sexField,
  categories: z.string(),
  rsa_departement: z.union([z.literal(''), departementField]),
  employer_siret: siretField,
  contract_type: contractTypeField,
  mode: modeField,
  contract_start: dateField,
  contract_end: dateField,
});

export interface SeenParticipant {
  ref: string;
  line: number;
  birthDate: string;
  sex: 'F' | 'M';
}
/** A contract as first seen in the file: the API's contract input, plus where it was seen. */
export interface SeenContract extends ContractInput {
  idx: number;
  line: number;
  raw: string[]; // the contract's cells as first seen, to compare later rows cheaply
  rsaDepartement: string | null;
  ledger: { id: number; ref: string; cite_id: number; start_date: string; end_date: string };
}

type ContractFacts = Omit<SeenContract, 'idx' | 'line' | 'raw' | 'ledger'> & { birthDate: string; sex: 'F' | 'M' };

function sameCells(raw: string[], row: CsvRow): boolean {
  for (let i = 0; i < CONTRACT_COLUMNS.length; i++) if (row.get(CONTRACT_COLUMNS[i]).trim() !== raw[i]) return false;
  return true;
}

const fmt = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-').reverse().join('/') : iso);

/** What every row of one contract must repeat, by CSV column (categories: declared codes). */
export interface ContractColumns {
  participantRef: string;
  marcheRef: string;
  employerSiret: string;
  contractType: string;
  mode: string;
  startDate: string;
  endDate: string;
  categories: string;
  rsaDepartement: string | null;
}

export const columnsOf = (c: Omit<SeenContract, 'idx' | 'line' | 'raw' | 'ledger'>): ContractColumns => ({
  ...c,
  categories: c.categories.join(','),
});

/** The CSV columns on which two descriptions of a contract disagree, with both values (dates as people write them). */
export function disagreements(a: ContractColumns, b: ContractColumns): Array<[column: string, a: string, b: string]> {
  const pairs: Array<[string, unknown, unknown]> = [
    ['participant_ref', a.participantRef, b.participantRef],
    ['marche_ref', a.marcheRef, b.marcheRef],
    ['employer_siret', a.employerSiret, b.employerSiret],
    ['contract_type', a.contractType, b.contractType],
    ['mode', a.mode, b.mode],
    ['contract_start', a.startDate, b.startDate],
    ['contract_end', a.endDate, b.endDate],
    ['categories', a.categories, b.categories],
    ['rsa_departement', a.rsaDepartement ?? '', b.rsaDepartement ?? ''],
  ];
  return pairs
    .filter(([, x, y]) => String(x) !== String(y))
    .map(([col, x, y]) => [col, fmt(String(x)), fmt(String(y))]);
}

export class HoursFileState {
  readonly participants = new Map<string, SeenParticipant>();
  readonly contracts = new Map<string, SeenContract>();
  readonly contractList: SeenContract[] = [];
  readonly rowContract = new IntColumn();
  readonly rowMonth = new IntColumn();
  readonly rowHours = new IntColumn();
  readonly rowLine = new IntColumn();
  readonly errors = new ErrorList<RowError>();
  private readonly months = new Map<string, string | null>();

  constructor(private readonly today: string) {}

  get rows(): number {
    return this.rowLine.length;
  }

  /** Handles one CSV row; never throws for bad data, records errors instead. */
  add(row: CsvRow): void {
    const line = row.line;
    const err = (column: string, message: string) => this.errors.add({ line, column, message });
    let contract = this.contracts.get(row.get('contract_ref').trim());
    // Most rows repeat their contract's cells exactly: compare them without parsing.
    if (!contract || !sameCells(contract.raw, row)) {
      const raw = CONTRACT_COLUMNS.map((c) => row.get(c).trim());
      const facts = this.parseContract(raw, err);
      if (!facts) return;
      if (!contract) contract = this.register(facts, row.line, raw, err);
      else if (!this.agrees(contract, facts, err)) return;
      if (!contract) return;
    }

    const monthRaw = row.get('month').trim();
    let month = this.months.get(monthRaw);
    if (month === undefined) {
      month = normaliseMonth(monthRaw);
      this.months.set(monthRaw, month);
    }
    const h = parseHours(row.get('hours'));
    let ok = true;
    if (!month) {
      ok = false;
      err(
        'month',
        monthRaw ? `Mois « ${monthRaw} » invalide (mm/aaaa ou aaaa-mm).` : 'Mois obligatoire (mm/aaaa ou aaaa-mm).',
      );
    } else {
      const outside = monthOutsideContract(contract.ledger, month);
      if (outside) {
        ok = false;
        err('month', outside.message);
      }
    }
    if (!h.ok) {
      ok = false;
      err('hours', h.message);
    } else if (month) {
      const tooMuch = monthTotalViolation(contract.ref, month, h.centihours);
      if (tooMuch) {
        ok = false;
        err('hours', tooMuch.message);
      }
    }
    if (!ok || !month || !h.ok) return;
    this.rowContract.push(contract.idx);
    this.rowMonth.push(monthCode(month));
    this.rowHours.push(h.centihours);
    this.rowLine.push(row.line);
  }

  private parseContract(raw: string[], err: (c: string, m: string) => void): ContractFacts | null {
    const input: Record<string, string> = {};
    let ok = true;
    CONTRACT_COLUMNS.forEach((c, i) => {
      input[c] = UPPER.has(c) ? raw[i].toUpperCase() : raw[i];
      if (!input[c] && !OPTIONAL.has(c)) {
        ok = false;
        err(c, `Valeur obligatoire dans la colonne « ${c} ».`);
      }
    });
    if (!ok) return null;
    const r = contractSchema.safeParse(input);
    if (!r.success) {
      for (const i of r.error.issues) err(String(i.path[0] ?? ''), i.message);
      return null;
    }
    const d = r.data;
    const cats = parseDeclaredCategories(d.categories);
    if (!cats.ok) {
      err('categories', cats.message);
      return null;
    }
    const rsaDepartement = d.rsa_departement || null;
    const rsaMsg = rsaDepartementMessage(cats.categories, rsaDepartement);
    if (rsaMsg) {
      err('rsa_departement', rsaMsg);
      return null;
    }
    if (d.contract_end < d.contract_start) {
      err('contract_end', 'La date de fin du contrat précède sa date de début.');
      return null;
    }
    if (d.birth_date > this.today) {
      err('birth_date', 'La date de naissance est dans le futur.');
      return null;
    }
    return {
      ref: d.contract_ref,
      participantRef: d.participant_ref,
      marcheRef: d.marche_ref,
      employerSiret: d.employer_siret,
      contractType: d.contract_type,
      mode: d.mode,
      startDate: d.contract_start,
      endDate: d.contract_end,
      categories: cats.categories,
      rsaDepartement,
      birthDate: d.birth_date,
      sex: d.sex,
    };
  }

  private register(
    f: ContractFacts,
    line: number,
    raw: string[],
    err: (c: string, m: string) => void,
  ): SeenContract | undefined {
    const p = this.participants.get(f.participantRef);
    if (!p)
      this.participants.set(f.participantRef, { ref: f.participantRef, line, birthDate: f.birthDate, sex: f.sex });
    else if (!this.participantAgrees(p, f, err)) return undefined;
    const idx = this.contractList.length;
    const c: SeenContract = {
      ...f,
      idx,
      line,
      raw,
      ledger: { id: 0, ref: f.ref, cite_id: 0, start_date: f.startDate, end_date: f.endDate },
    };
    this.contracts.set(f.ref, c);
    this.contractList.push(c);
    return c;
  }

  private participantAgrees(p: SeenParticipant, f: ContractFacts, err: (c: string, m: string) => void): boolean {
    let ok = true;
    if (p.birthDate !== f.birthDate) {
      ok = false;
      err(
        'birth_date',
        `La date de naissance du participant « ${p.ref} » (${fmt(f.birthDate)}) diffère de celle de la ligne ${p.line} (${fmt(p.birthDate)}).`,
      );
    }
    if (p.sex !== f.sex) {
      ok = false;
      err('sex', `Le sexe du participant « ${p.ref} » (${f.sex}) diffère de celui de la ligne ${p.line} (${p.sex}).`);
    }
    return ok;
  }

  /** A later row of a known contract: every contract column must say the same thing. */
  private agrees(c: SeenContract, f: ContractFacts, err: (c: string, m: string) => void): boolean {
    let ok = this.participantAgrees(
      this.participants.get(c.participantRef) ?? {
        ref: c.participantRef,
        line: c.line,
        birthDate: f.birthDate,
        sex: f.sex,
      },
      f,
      err,
    );
    for (const [column, first, now] of disagreements(columnsOf(c), columnsOf(f))) {
      ok = false;
      err(
        column,
        `La colonne « ${column} » du contrat « ${c.ref} » (${now || 'vide'}) diffère de la ligne ${c.line} (${first || 'vide'}).`,
      );
    }
    return ok;
  }
}
