import type { Column } from './export.js';
import type { AppContext } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { errors } from '../core/errors.js';
import { toHours } from '../lib/hours.js';
import { DIMENSION_BY_CODE, PUBLIC_DIMENSIONS, TIME_DIMENSIONS } from './dimensions.js';
import { labelsFor } from './labels.js';
import { countsBy, hoursBy, type Bucket, type Period } from './rollups/index.js';
import { pairBreakdown, scopeKeys } from './breakdown.store.js';
import { isSmallCell } from './disclosure.js';
import { assertPeriod, programmeOrThrow } from './progress.service.js';

export const GROUP_BY_VALUES = [...PUBLIC_DIMENSIONS, ...TIME_DIMENSIONS];
export const TIME_LABELS: Record<string, string> = { month: 'Mois', year: 'Année' };

export interface BreakdownQuery extends Period {
  programme: string;
  groupBy: string[];
}

export interface BreakdownRow {
  [dim: string]: string | number | boolean | null;
  /** null when the cell is suppressed (fewer than 3 persons outside the viewer's scope). */
  hours: number | null;
  beneficiaries: number | null;
  contracts: number | null;
}

/** Aggregates are for admins, facilitators and Départements; contractors see only their marchés. */
export function assertCanReadAggregates(actor: Actor): void {
  if (!['admin', 'facilitator', 'departement'].includes(actor.role))
    throw errors.forbidden('ces statistiques (réservées au programme, aux facilitateurs et aux Départements)');
}

function checkGroupBy(groupBy: string[]): void {
  const bad = groupBy.filter((g) => !GROUP_BY_VALUES.includes(g));
  const problem = bad.length
    ? `Regroupement inconnu : ${bad.join(', ')} (valeurs : ${GROUP_BY_VALUES.join(', ')}).`
    : groupBy.length < 1 || groupBy.length > 2
      ? 'Indiquez un ou deux regroupements (exemple : groupBy=year,departement).'
      : new Set(groupBy).size !== groupBy.length ||
          groupBy.filter((g) => (TIME_DIMENSIONS as readonly string[]).includes(g)).length > 1
        ? 'Deux regroupements distincts, dont une période au plus (month ou year).'
        : null;
  if (problem) throw errors.validation([{ path: 'groupBy', message: problem }]);
}

type Cell = { keys: string[]; centihours: number; beneficiaries: number; contracts: number };

async function fromRollups(
  ctx: AppContext,
  programmeId: number,
  dim: string,
  bucket: Bucket,
  period: Period,
): Promise<Cell[]> {
  const [h, p, c] = await Promise.all([
    hoursBy(ctx.db, programmeId, dim, period, bucket),
    countsBy(ctx.db, programmeId, dim, 'p', period, bucket),
    countsBy(ctx.db, programmeId, dim, 'c', period, bucket),
  ]);
  const cells = new Map<string, Cell>();
  const cell = (key: string, bucket: string) => {
    const k = `${key}|${bucket}`;
    let x = cells.get(k);
    if (!x) cells.set(k, (x = { keys: [key, bucket], centihours: 0, beneficiaries: 0, contracts: 0 }));
    return x;
  };
  for (const r of h) cell(r.key, r.bucket).centihours += r.centihours;
  for (const r of p) cell(r.key, r.bucket).beneficiaries += r.n;
  for (const r of c) cell(r.key, r.bucket).contracts += r.n;
  return [...cells.values()];
}

/** GET /api/v1/reports/hours: hours, beneficiaries and contracts by one or two dimensions. */
export async function breakdown(ctx: AppContext, actor: Actor, q: BreakdownQuery) {
  assertCanReadAggregates(actor);
  assertPeriod(q);
  checkGroupBy(q.groupBy);
  const programme = await programmeOrThrow(ctx, q.programme);
  const period = { from: q.from, to: q.to };
  const time = q.groupBy.find((g) => (TIME_DIMENSIONS as readonly string[]).includes(g)) as Bucket | undefined;
  const dims = q.groupBy.filter((g) => g !== time);

  let cells: Cell[];
  if (dims.length === 2) {
    const rows = await pairBreakdown(
      ctx.db,
      programme.id,
      DIMENSION_BY_CODE.get(dims[0])!,
      DIMENSION_BY_CODE.get(dims[1])!,
      period,
    );
    cells = rows.map((r) => ({
      keys: [r.k1, r.k2],
      centihours: r.centihours,
      beneficiaries: r.beneficiaries,
      contracts: r.contracts,
    }));
  } else {
    cells = await fromRollups(ctx, programme.id, dims[0] ?? 'all', time ?? 'none', period);
    // keys are [dimension key, time bucket]: put them in the order asked
    cells = cells.map((c) => ({ ...c, keys: q.groupBy.map((g) => (g === time ? c.keys[1] : c.keys[0])) }));
  }
  const totals = (await fromRollups(ctx, programme.id, 'all', 'none', period))[0];
  const labels = await Promise.all(q.groupBy.map((g) => (g === time ? null : labelsFor(ctx.db, g))));
  const scope = await scopeKeys(ctx.db, actor);

  const rows = cells
    .filter((c) => c.centihours !== 0 || c.beneficiaries !== 0 || c.contracts !== 0)
    .map((c) => {
      const row: BreakdownRow = { hours: 0, beneficiaries: 0, contracts: 0 };
      const sortKey: string[] = [];
      q.groupBy.forEach((g, i) => {
        const label = labels[i];
        if (!label) {
          row[g] = g === 'year' ? Number(c.keys[i]) : c.keys[i];
          sortKey.push(c.keys[i]);
        } else {
          const l = label(c.keys[i]);
          row[g] = l.code;
          row[`${g}Label`] = l.label;
          // Age bands sort by age (<26, 26-49, 50+), other keys by code.
          sortKey.push(l.rank !== undefined ? String(l.rank).padStart(4, '0') : (l.code ?? '\uffff'));
        }
      });
      if (isSmallCell(scope, q.groupBy, c.keys, c.beneficiaries))
        Object.assign(row, { hours: null, beneficiaries: null, contracts: null, suppressed: true });
      else Object.assign(row, { hours: toHours(c.centihours), beneficiaries: c.beneficiaries, contracts: c.contracts });
      return { row, sortKey };
    })
    .sort((a, b) => {
      for (let i = 0; i < a.sortKey.length; i++) {
        const d = a.sortKey[i] < b.sortKey[i] ? -1 : a.sortKey[i] > b.sortKey[i] ? 1 : 0;
        if (d) return d;
      }
      return 0;
    })
    .map((x) => x.row);

  return {
    programme: programme.code,
    groupBy: q.groupBy,
    from: q.from ?? null,
    to: q.to ?? null,
    rows,
    // Totals count each person once: a sum of category rows may exceed them.
    totals: {
      hours: toHours(totals?.centihours ?? 0),
      beneficiaries: totals?.beneficiaries ?? 0,
      contracts: totals?.contracts ?? 0,
    },
  };
}

export type Breakdown = Awaited<ReturnType<typeof breakdown>>;

/** French column headers of a breakdown, for the CSV and XLSX exports. */
export function breakdownColumns(b: Breakdown): Column[] {
  const cols: Column[] = [];
  for (const g of b.groupBy) {
    if (TIME_LABELS[g]) cols.push({ key: g, header: TIME_LABELS[g], kind: g === 'month' ? 'month' : 'text' });
    else {
      const label = DIMENSION_BY_CODE.get(g)!.label;
      cols.push({ key: g, header: `${label} (code)`, kind: 'text' }, { key: `${g}Label`, header: label, kind: 'text' });
    }
  }
  cols.push(
    { key: 'hours', header: 'Heures', kind: 'hours' },
    { key: 'beneficiaries', header: 'Bénéficiaires', kind: 'int' },
    { key: 'contracts', header: 'Contrats', kind: 'int' },
  );
  return cols;
}

/** File name of a breakdown export: heures-par-year-sex. */
export const breakdownFileName = (b: Pick<Breakdown, 'groupBy'>) => `heures-par-${b.groupBy.join('-')}`;
