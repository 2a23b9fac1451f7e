import type { ContractInput } from '../contracts/contracts.service.js';
import { monthOutsideContract, monthTotalViolation } from '../hours/ledger.rules.js';
import { parseHours } from '../lib/hours.js';
import { normaliseMonth, quoteDateFr } from '../lib/dates.js';
import { ErrorList, IntColumn, LineColumn, monthCode } from './compact.js';
import type { CsvRow, RowError } from './csv.js';
import type { TableSpec } from './read.js';
import { CONTRACT_COLUMNS, type ContractFacts, HOURS_COLUMNS, parseContractCells } from './hours.contract-cells.js';

// First pass of an hours import, row by row as the file streams in: checks every cell (a row
// with several bad cells reports each of them), records participants and contracts on first
// sight and checks later rows agree with them, and keeps only (contract, month, hours, line)
// of each row, in typed arrays.

export { HOURS_COLUMNS };

/**
 * How to read the hours file. Optional columns `first_name` and `last_name` name a participant
 * (kept on SeenParticipant; they fill a name the ledger does not have).
 */
export const HOURS_SPEC: TableSpec = {
  required: HOURS_COLUMNS,
  kinds: {
    birth_date: 'date',
    contract_start: 'date',
    contract_end: 'date',
    month: 'month',
    hours: 'decimal',
    employer_siret: 'siret',
    rsa_departement: 'code2',
  },
};

const NAME_MAX = 100;

export interface SeenParticipant {
  ref: string;
  line: number;
  birthDate: string;
  sex: 'F' | 'M';
  firstName: string | null;
  lastName: string | null;
  /** The line that gave the name (first_name, last_name). */
  nameLines: [number, number];
}
/** A contract as first seen in the file: the API's contract input, plus where it was seen. */
export interface SeenContract extends ContractInput {
  idx: number;
  line: number;
  raw: string[]; // the contract's cells as first seen, to compare later rows cheaply (while reading)
  rsaDepartement: string | null;
  /** How many of the contract's dates were written with a two-digit year (counted per row). */
  twoDigitYears: number;
  ledger: { id: number; ref: string; cite_id: number; start_date: string; end_date: string };
}

function sameCells(raw: string[], row: CsvRow): boolean {
  for (let i = 0; i < CONTRACT_COLUMNS.length; i++) if (row.get(CONTRACT_COLUMNS[i]).trim() !== raw[i]) return false;
  return true;
}

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

export const columnsOf = (
  c: Omit<SeenContract, 'idx' | 'line' | 'raw' | 'ledger' | 'twoDigitYears'>,
): ContractColumns => ({
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
    .map(([col, x, y]) => [col, quoteDateFr(String(x)), quoteDateFr(String(y))]);
}

export class HoursFileState {
  readonly participants = new Map<string, SeenParticipant>();
  readonly contracts = new Map<string, SeenContract>();
  readonly contractList: SeenContract[] = [];
  // Per row: contract (its index), month (monthCode: 1900-2200 fits 16 bits), declared hours
  // (centihours, at most 235 h by the rules) and line.
  readonly rowContract = new IntColumn(Int32Array);
  readonly rowMonth = new IntColumn(Uint16Array);
  readonly rowHours = new IntColumn(Uint16Array);
  readonly rowLine = new LineColumn();
  readonly errors = new ErrorList<RowError>();
  /** Dates of accepted rows written dd/MM/yy, read with the rule of docs/imports.md. */
  twoDigitYears = 0;
  private readonly months = new Map<string, string | null>();

  constructor(private readonly today: string) {}

  get rows(): number {
    return this.rowLine.length;
  }

  /**
   * Once the whole file is read: the columns joined one at a time (./compact.ts), and the
   * contracts' raw cells let go (about 10 MB at 24 000 contracts, for 3 million rows).
   */
  finishReading(): void {
    for (const column of [this.rowContract, this.rowMonth, this.rowHours]) column.view();
    for (const c of this.contractList) c.raw = [];
  }

  /** Handles one row; never throws for bad data, records every bad cell instead. */
  add(row: CsvRow): void {
    const line = row.line;
    const err = (column: string, message: string) => this.errors.add({ line, column, message });
    let contract = this.contracts.get(row.get('contract_ref').trim());
    // usable: the row's contract is known and the row agrees with it.
    let usable = true;
    let twoDigit = contract?.twoDigitYears ?? 0;
    // Most rows repeat their contract's cells exactly: compare them without parsing.
    if (!contract || !sameCells(contract.raw, row)) {
      const raw = CONTRACT_COLUMNS.map((c) => row.get(c).trim());
      const facts = parseContractCells(raw, this.today, err);
      if (!facts) usable = false;
      else {
        twoDigit = facts.twoDigitYears;
        if (!contract) contract = this.register(facts, row.line, raw, err);
        else if (!this.agrees(contract, facts, err)) usable = false;
        if (!contract) usable = false;
      }
    }
    if (usable && contract && !this.namesAgree(contract.participantRef, row, err)) usable = false;

    const monthRaw = row.get('month').trim();
    let month = this.months.get(monthRaw);
    if (month === undefined) {
      month = normaliseMonth(monthRaw);
      this.months.set(monthRaw, month);
    }
    const h = parseHours(row.get('hours'));
    let ok = usable;
    if (!month) {
      ok = false;
      err(
        'month',
        monthRaw ? `Mois « ${monthRaw} » invalide (mm/aaaa ou aaaa-mm).` : 'Mois obligatoire (mm/aaaa ou aaaa-mm).',
      );
    } else if (usable && contract) {
      const outside = monthOutsideContract(contract.ledger, month);
      if (outside) {
        ok = false;
        err('month', outside.message);
      }
    }
    if (!h.ok) {
      ok = false;
      err('hours', h.message);
    } else {
      const ref = contract?.ref ?? row.get('contract_ref').trim();
      const tooMuch = monthTotalViolation(ref, month ?? (monthRaw || 'ce mois'), h.centihours);
      if (tooMuch) {
        ok = false;
        err('hours', tooMuch.message);
      }
    }
    if (!ok || !contract || !month || !h.ok) return;
    this.twoDigitYears += twoDigit;
    this.rowContract.push(contract.idx);
    this.rowMonth.push(monthCode(month));
    this.rowHours.push(h.centihours);
    this.rowLine.push(row.line);
  }

  /** The optional name columns: they must agree with the participant's name given earlier. */
  private namesAgree(ref: string, row: CsvRow, err: (c: string, m: string) => void): boolean {
    const p = this.participants.get(ref);
    if (!p) return true;
    let ok = true;
    const check = (column: 'first_name' | 'last_name', key: 'firstName' | 'lastName', slot: 0 | 1, what: string) => {
      const v = row.get(column).trim().replace(/\s+/g, ' ');
      if (!v) return;
      if (v.length > NAME_MAX) {
        ok = false;
        err(column, `Le ${what} est trop long (${NAME_MAX} caractères au plus).`);
      } else if (p[key] === null) {
        p[key] = v;
        p.nameLines[slot] = row.line;
      } else if (p[key] !== v) {
        ok = false;
        err(
          column,
          `Le ${what} du participant « ${ref} » (${v}) diffère de celui de la ligne ${p.nameLines[slot]} (${p[key]}).`,
        );
      }
    };
    check('first_name', 'firstName', 0, 'prénom');
    check('last_name', 'lastName', 1, 'nom');
    return ok;
  }

  private register(
    f: ContractFacts,
    line: number,
    raw: string[],
    err: (c: string, m: string) => void,
  ): SeenContract | undefined {
    const p = this.participants.get(f.participantRef);
    if (!p)
      this.participants.set(f.participantRef, {
        ref: f.participantRef,
        line,
        birthDate: f.birthDate,
        sex: f.sex,
        firstName: null,
        lastName: null,
        nameLines: [0, 0],
      });
    else if (!this.participantAgrees(p, f, err)) return undefined;
    const idx = this.contractList.length;
    // Every field named, not spread from `f`: the spread gave each contract a hidden class of its
    // own (V8), 0.5 KB more per contract, 13 MB at 24 000 contracts (a 3 million-row file).
    const c: SeenContract = {
      ref: f.ref,
      participantRef: f.participantRef,
      marcheRef: f.marcheRef,
      employerSiret: f.employerSiret,
      contractType: f.contractType,
      mode: f.mode,
      startDate: f.startDate,
      endDate: f.endDate,
      categories: f.categories,
      rsaDepartement: f.rsaDepartement,
      twoDigitYears: f.twoDigitYears,
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
        `La date de naissance du participant « ${p.ref} » (${quoteDateFr(f.birthDate)}) diffère de celle de la ligne ` +
          `${p.line} (${quoteDateFr(p.birthDate)}).`,
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
        firstName: null,
        lastName: null,
        nameLines: [0, 0],
      },
      f,
      err,
    );
    for (const [column, first, now] of disagreements(columnsOf(c), columnsOf(f))) {
      ok = false;
      err(
        column,
        `La colonne « ${column} » du contrat « ${c.ref} » (${now || 'vide'}) diffère de la ligne ${c.line} ` +
          `(${first || 'vide'}).`,
      );
    }
    return ok;
  }
}
