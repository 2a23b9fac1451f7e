import type { AppContext } from '../context.js';
import { nowIso } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertWriter } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { errors, type ErrorDetail } from '../core/errors.js';
import { formatHoursFr } from '../lib/hours.js';
import { appendEntries, entryViolations, ledgerContract, type NewEntry } from './ledger.service.js';
import { monthTotalViolation } from './ledger.rules.js';
import * as ledger from './ledger.store.js';
import { monthTotal } from './month-totals.store.js';
import * as store from './grid.store.js';

// The month grid (Saisie des heures): one row per contract of the actor's scope whose dates
// cover the month, with the month's total. Saving declares totals, like an hours import: the
// difference with the ledger is posted (a correction pointing at the month's first entry when
// the month already had hours), all cells or none, so saving the same totals twice posts nothing.

export interface GridCell {
  contractRef: string;
  centihours: number; // the month's declared total
}

export async function monthGrid(ctx: AppContext, actor: Actor, month: string) {
  assertWriter(actor);
  const [rows, closed, closures] = await Promise.all([
    store.gridRows(ctx.db, actor, month),
    store.closedCites(ctx.db, month),
    store.closuresOfMonth(ctx.db, month, actor.role === 'facilitator' ? actor.structureId : null),
  ]);
  return {
    month,
    rows: rows.map((r) => ({ ...r, closed: closed.has(r.cite_id) })),
    closures,
    totalCentihours: rows.reduce((s, r) => s + r.centihours, 0),
  };
}

export type MonthGrid = Awaited<ReturnType<typeof monthGrid>>;

/** Saves declared totals; returns how many cells changed the ledger. Throws grid_rejected. */
export async function saveMonthGrid(
  ctx: AppContext,
  actor: Actor,
  month: string,
  cells: GridCell[],
): Promise<{ posted: number }> {
  assertWriter(actor);
  const at = nowIso(ctx);
  return ctx.db.transaction(async (trx) => {
    // The grid's rows are read through the actor's scope: a cell outside it is refused.
    const rows = new Map((await store.gridRows(trx, actor, month)).map((r) => [r.ref, r]));
    const bad: ErrorDetail[] = [];
    const entries: NewEntry[] = [];
    for (const cell of cells) {
      const row = rows.get(cell.contractRef);
      if (!row) {
        bad.push({ path: cell.contractRef, message: `Le contrat « ${cell.contractRef} » ne figure pas dans ce mois.` });
        continue;
      }
      // A declared total is checked as such (0 to 235 h), before its difference is posted.
      const over = monthTotalViolation(row.ref, month, cell.centihours);
      if (over) {
        bad.push({ path: cell.contractRef, message: over.message });
        continue;
      }
      await ledger.lockMonth(trx, row.id, month);
      const delta = cell.centihours - (await monthTotal(trx, row.id, month));
      if (delta === 0) continue;
      const found = await ledger.findLedgerContract(trx, { id: row.id });
      if (!found) continue;
      const first = await ledger.firstEntryOfMonth(trx, row.id, month);
      entries.push({
        contract: ledgerContract(found),
        month,
        centihours: delta,
        kind: first ? 'correction' : 'entry',
        correctsId: first,
        reason: first ? `Saisie du mois : total déclaré ${formatHoursFr(cell.centihours)}` : null,
        postedBy: actor.id,
        at,
      });
    }
    // The rules that do not depend on totals (dates, closed month), named cell by cell.
    (await entryViolations(trx, entries)).forEach((v, i) => {
      if (v) bad.push({ path: entries[i].contract.ref, message: v.message });
    });
    if (bad.length) throw errors.gridRejected(bad);
    await appendEntries(trx, entries, async () => {
      for (const e of entries)
        await audit(trx, {
          at,
          accountId: actor.id,
          action: e.kind === 'correction' ? 'hours.correct' : 'hours.post',
          entity: 'contract',
          ref: e.contract.ref,
          details: { month, centihours: e.centihours, via: 'saisie', ...(e.reason ? { reason: e.reason } : {}) },
        });
    });
    const posted = entries.length;
    if (bad.length) throw errors.gridRejected(bad);
    return { posted };
  });
}
