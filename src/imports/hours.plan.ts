import type { Knex } from 'knex';
import type { Actor } from '../accounts/actor.js';
import { structureCiteIds } from '../accounts/policy.js';
import { entryViolations, type LedgerContract } from '../hours/ledger.service.js';
import { chunks, monthText } from './compact.js';
import { quoteDateFr } from '../lib/dates.js';
import {
  columnsOf,
  disagreements,
  type ContractColumns,
  type HoursFileState,
  type SeenContract,
} from './hours.parse.js';
import * as store from './imports.store.js';
import { releaseGarbage } from './heap.js';
import { breathe } from '../lib/breathe.js';

// Second pass of an hours import, inside the import's transaction: checks the file against
// the database (marchés, scope, known participants and contracts), then computes, for each
// row, the difference between its declared total and the ledger's, and checks each row that
// posts something against the ledger's rules (the ledger's own function: months within the
// contract's and the marché's dates, closed months), so that every bad row is named.

export interface HoursPlan {
  order: Uint32Array; // row indices sorted by (contract, month)
  /** Where each contract's rows start in `order` (by contract index; one more at the end). */
  contractStart: Uint32Array;
  diff: Int16Array; // centihours to post per row (0: nothing; declared and prior totals are 0 to 235 h)
  prior: Uint8Array; // 1 when the contract-month already had a total
  marcheIds: Map<string, number>;
  /** Each contract of the file (by its index) as the ledger sees it; ids of new ones are set when written. */
  contracts: LedgerContract[];
  existingParticipants: Map<string, number>;
  created: number;
  updated: number;
  unchanged: number;
  hoursAdded: number;
}

const fmt = (v: unknown) => quoteDateFr(String(v ?? '')) || 'vide';
const declared = (categories: string) =>
  String(categories ?? '')
    .split(',')
    .filter((c) => c && c !== 'JEUNE' && c !== 'SENIOR')
    .join(',');

async function loadByRefs<T extends { ref: string }>(
  refs: string[],
  load: (part: string[]) => Promise<T[]>,
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (const part of chunks(refs, 500)) for (const r of await load(part)) out.set(r.ref, r);
  return out;
}

/** Checks references and known people/contracts; marks the contracts that cannot be used. */
async function checkReferences(trx: Knex, actor: Actor, s: HoursFileState, bad: Uint8Array) {
  const err = (line: number, column: string, message: string) => s.errors.add({ line, column, message });
  const marches = await loadByRefs([...new Set(s.contractList.map((c) => c.marcheRef))], (p) =>
    store.marchesByRefs(trx, p),
  );
  const allowed =
    actor.role === 'facilitator'
      ? new Set((await structureCiteIds(trx, actor.structureId ?? -1)).map((r: { id: number }) => Number(r.id)))
      : null;
  const people = await loadByRefs([...s.participants.keys()], (p) => store.participantsByRefs(trx, p));
  const badPeople = new Set<string>();
  for (const p of s.participants.values()) {
    const known = people.get(p.ref);
    if (!known) continue;
    if (known.birth_date !== p.birthDate) {
      badPeople.add(p.ref);
      err(
        p.line,
        'birth_date',
        `La date de naissance du participant « ${p.ref} » (${fmt(p.birthDate)}) diffère de celle déjà enregistrée ` +
          `(${fmt(known.birth_date)}).`,
      );
    }
    if (known.sex !== p.sex) {
      badPeople.add(p.ref);
      err(
        p.line,
        'sex',
        `Le sexe du participant « ${p.ref} » (${p.sex}) diffère de celui déjà enregistré (${known.sex}).`,
      );
    }
  }
  const contracts = await loadByRefs(
    s.contractList.map((c) => c.ref),
    (p) => store.contractsByRefs(trx, p),
  );
  for (const c of s.contractList) {
    const m = marches.get(c.marcheRef);
    if (badPeople.has(c.participantRef)) bad[c.idx] = 1;
    if (!m) {
      bad[c.idx] = 1;
      err(c.line, 'marche_ref', `Marché « ${c.marcheRef} » inconnu : importez d’abord les marchés.`);
      continue;
    }
    if (allowed && !allowed.has(Number(m.cite_id))) {
      bad[c.idx] = 1;
      err(c.line, 'marche_ref', `Le marché « ${c.marcheRef} » est hors du périmètre de votre structure.`);
      continue;
    }
    c.ledger.cite_id = Number(m.cite_id);
    const known = contracts.get(c.ref);
    if (known && !agreesWithStored(c, known, err)) bad[c.idx] = 1;
    if (known) c.ledger.id = Number(known.id);
  }
  const ledger = s.contractList.map((c): LedgerContract => {
    const m = marches.get(c.marcheRef);
    return {
      id: c.ledger.id,
      ref: c.ref,
      cite_id: c.ledger.cite_id,
      start_date: c.startDate,
      end_date: c.endDate,
      marche: { ref: c.marcheRef, start_date: m?.start_date ?? '', end_date: m?.end_date ?? '' },
    };
  });
  return { marcheIds: new Map([...marches].map(([ref, m]) => [ref, Number(m.id)])), people, ledger };
}

function agreesWithStored(
  c: SeenContract,
  known: store.KnownContractRow,
  err: (l: number, c: string, m: string) => void,
): boolean {
  const stored: ContractColumns = {
    participantRef: known.participant_ref,
    marcheRef: known.marche_ref,
    employerSiret: known.employer_siret,
    contractType: known.contract_type,
    mode: known.mode,
    startDate: known.start_date,
    endDate: known.end_date,
    categories: declared(known.categories),
    rsaDepartement: known.rsa_departement ?? null,
  };
  let ok = true;
  for (const [column, mine, theirs] of disagreements(columnsOf(c), stored)) {
    ok = false;
    err(
      c.line,
      column,
      `La colonne « ${column} » du contrat « ${c.ref} » (${mine || 'vide'}) diffère du contrat déjà enregistré ` +
        `(${theirs || 'vide'}).`,
    );
  }
  return ok;
}

/**
 * Row indices sorted by (contract, month, row): rows counted into their contract's place (a
 * counting sort, stable), then each contract's few rows sorted by month, in place. A typed
 * array's sort with a comparator would copy every index into the heap (24 MB at 3 million
 * rows) and call the comparator 60 million times.
 */
export function rowsByContractAndMonth(
  rc: Int32Array,
  rm: ArrayLike<number>,
  contracts: number,
): { order: Uint32Array; start: Uint32Array } {
  const start = new Uint32Array(contracts + 1);
  for (let i = 0; i < rc.length; i++) start[rc[i] + 1]++;
  for (let c = 0; c < contracts; c++) start[c + 1] += start[c];
  const next = start.slice(0, contracts);
  const order = new Uint32Array(rc.length);
  for (let i = 0; i < rc.length; i++) order[next[rc[i]]++] = i;
  // Insertion sort by month within a contract: rows usually come in month order already, and
  // row indices stay increasing among equal months (the sort is stable).
  for (let c = 0; c < contracts; c++)
    for (let k = start[c] + 1; k < start[c + 1]; k++) {
      const i = order[k];
      let j = k - 1;
      while (j >= start[c] && rm[order[j]] > rm[i]) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = i;
    }
  return { order, start };
}

export async function planHours(trx: Knex, actor: Actor, s: HoursFileState): Promise<HoursPlan> {
  const n = s.rows;
  const bad = new Uint8Array(s.contractList.length);
  const { marcheIds, people, ledger } = await checkReferences(trx, actor, s, bad);
  const rc = s.rowContract.view();
  const rm = s.rowMonth.view();
  const rh = s.rowHours.view();
  const rl = s.rowLine;
  const { order, start } = rowsByContractAndMonth(rc, rm, s.contractList.length);

  const diff = new Int16Array(n);
  const prior = new Uint8Array(n);
  const plan: HoursPlan = {
    order,
    contractStart: start,
    diff,
    prior,
    marcheIds,
    contracts: ledger,
    existingParticipants: new Map([...people].map(([r, p]) => [r, Number(p.id)])),
    created: 0,
    updated: 0,
    unchanged: 0,
    hoursAdded: 0,
  };

  // Walk the sorted rows a few hundred contracts at a time, loading those contracts' totals.
  let pos = 0;
  while (pos < n) {
    const firstContract = rc[order[pos]];
    let end = pos;
    while (end < n && rc[order[end]] < firstContract + 500) end++;
    const ids: number[] = [];
    const toCreate: Array<{ contract_id: number; month: string }> = [];
    for (let k = pos; k < end; k++) {
      const c = s.contractList[rc[order[k]]];
      if (!c.ledger.id || bad[c.idx]) continue;
      if (ids[ids.length - 1] !== c.ledger.id) ids.push(c.ledger.id);
      if (rh[order[k]] !== 0) toCreate.push({ contract_id: c.ledger.id, month: monthText(rm[order[k]]) });
    }
    const totals = new Map<string, number>();
    // A window holds at most 500 contracts, so one query (500 bind parameters) reads them.
    for (const t of await store.lockedMonthTotals(trx, ids, toCreate))
      totals.set(`${t.contract_id}|${t.month}`, t.centihours);
    const posting: number[] = [];
    for (let k = pos; k < end; k++) {
      const i = order[k];
      const c = s.contractList[rc[i]];
      if (bad[c.idx]) continue;
      const month = monthText(rm[i]);
      if (k > pos && rc[order[k - 1]] === rc[i] && rm[order[k - 1]] === rm[i]) {
        s.errors.add({
          line: rl.get(i),
          column: 'month',
          message:
            `Le contrat « ${c.ref} » a déjà une ligne pour le mois ${month} (ligne ${rl.get(order[k - 1])}) : ` +
            `une seule ligne par contrat et par mois.`,
        });
        continue;
      }
      const before = c.ledger.id ? totals.get(`${c.ledger.id}|${month}`) : undefined;
      const d = rh[i] - (before ?? 0);
      diff[i] = d;
      prior[i] = before === undefined ? 0 : 1;
      if (d !== 0) posting.push(i);
    }
    // Rows that post something follow the ledger's rules; a row that changes nothing may name
    // a closed month, or one outside the marché's dates.
    const violations = await entryViolations(
      trx,
      posting.map((i) => ({ contract: ledger[rc[i]], month: monthText(rm[i]) })),
    );
    posting.forEach((i, j) => {
      const v = violations[j];
      if (v) {
        diff[i] = 0;
        s.errors.add({ line: rl.get(i), column: 'month', message: v.message });
      }
    });
    for (let k = pos; k < end; k++) {
      const i = order[k];
      if (bad[rc[i]]) continue;
      const d = diff[i];
      if (d === 0) plan.unchanged++;
      else if (!prior[i]) plan.created++;
      else plan.updated++;
      plan.hoursAdded += d;
    }
    // Other requests are served between windows (the event loop is not held for the whole file),
    // and what a window leaves behind is collected before it piles up (./heap.ts).
    releaseGarbage();
    await breathe(0);
    pos = end;
  }
  return plan;
}
