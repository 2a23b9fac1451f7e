import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { Actor } from '../accounts/actor.js';
import type { AppContext } from '../context.js';
import { AppError, errors } from '../core/errors.js';
import { hoursField, monthField } from '../core/fields.js';
import { closeMonth } from '../hours/closed-months.service.js';
import { monthGrid, saveMonthGrid, type GridCell, type MonthGrid } from '../hours/grid.service.js';
import { actorOf, csrfCheck } from './guard.js';
import { currentMonth, monthLabel, shiftMonth } from './months.js';
import { hoursInput, sendPage } from './render.js';
import { structuresList } from './web.store.js';

// /saisie?mois=yyyy-MM: the facilitator's month grid. Each changed cell declares the month's
// total of its contract; the service posts the differences, all or nothing.

const monthQuery = z.object({ mois: monthField.optional() });
const cellSchema = hoursField(); // the API's hours field: same grammar, same French messages
const closeBody = z.object({ mois: monthField, structure: z.string().trim().max(64).optional() });

const FLASH: Record<string, (n: number) => string> = {
  enregistre: (n) => (n > 1 ? `${n} cellules enregistrées.` : 'Une cellule enregistrée.'),
  rien: () => 'Aucun changement : rien n’a été enregistré.',
  clos: () => 'Le mois est clos : ses heures ne peuvent plus être modifiées.',
};

function monthOf(ctx: AppContext, req: Request): string {
  const q = monthQuery.safeParse(req.query);
  if (!q.success) throw errors.invalidInput('Mois invalide : utilisez le format aaaa-mm (exemple : 2024-03).');
  return q.data.mois ?? currentMonth(ctx);
}

/** Cité → marché → contracts, with the totals of each marché. */
function groups(grid: MonthGrid, typed: Map<string, string>, errs: Map<string, string>) {
  const out: Array<{
    cite: string;
    marches: Array<{ ref: string; title: string; total: number; rows: Array<Record<string, unknown>> }>;
  }> = [];
  let i = 0;
  for (const r of grid.rows) {
    let g = out[out.length - 1];
    if (!g || g.cite !== r.cite_name) out.push((g = { cite: r.cite_name, marches: [] }));
    let m = g.marches[g.marches.length - 1];
    if (!m || m.ref !== r.marche_ref)
      g.marches.push((m = { ref: r.marche_ref, title: r.marche_title, total: 0, rows: [] }));
    m.total += r.centihours;
    const shown = hoursInput(r.centihours);
    m.rows.push({
      i: i++,
      ref: r.ref,
      participant: r.participant_ref,
      start: r.start_date,
      end: r.end_date,
      closed: r.closed,
      centihours: r.centihours,
      was: shown,
      value: typed.get(r.ref) ?? shown,
      error: errs.get(r.ref),
    });
  }
  return out;
}

async function showGrid(
  ctx: AppContext,
  req: Request,
  res: express.Response,
  actor: Actor,
  month: string,
  o: { typed?: Map<string, string>; errors?: Map<string, string>; status?: number; summary?: string } = {},
) {
  const grid = await monthGrid(ctx, actor, month);
  const errs = o.errors ?? new Map<string, string>();
  const open = grid.rows.filter((r) => !r.closed).length;
  const ok = typeof req.query.ok === 'string' ? FLASH[req.query.ok] : undefined;
  sendPage(
    res,
    'saisie.njk',
    {
      title: `Saisie des heures — ${monthLabel(month)}`,
      breadcrumbs: [{ href: '/espace', label: 'Accueil' }, { label: 'Saisie des heures' }],
      flash: ok ? ok(Number(req.query.n ?? 0)) : undefined,
      month,
      monthText: monthLabel(month),
      prev: shiftMonth(month, -1),
      next: shiftMonth(month, 1),
      prevText: monthLabel(shiftMonth(month, -1)),
      nextText: monthLabel(shiftMonth(month, 1)),
      groups: groups(grid, o.typed ?? new Map(), errs),
      total: grid.totalCentihours,
      rowCount: grid.rows.length,
      open,
      closures: grid.closures,
      canClose: actor.role === 'admin' || grid.closures.length === 0,
      structures: actor.role === 'admin' ? await structuresList(ctx.db) : [],
      isAdmin: actor.role === 'admin',
      summary: o.summary,
      errorList: [...errs].map(([ref, message]) => ({ ref, message })),
    },
    o.status ?? 200,
  );
}

export function saisieRoutes(ctx: AppContext): Router {
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '2mb', parameterLimit: 20_000 });

  r.get('/saisie', async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    await showGrid(ctx, req, res, actor, monthOf(ctx, req));
  });

  r.post('/saisie', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const month = monthOf(ctx, req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typed = new Map<string, string>();
    const errs = new Map<string, string>();
    const cells: GridCell[] = [];
    for (const [name, raw] of Object.entries(body)) {
      if (!name.startsWith('h:') || typeof raw !== 'string') continue;
      const ref = name.slice(2);
      const value = raw.trim();
      typed.set(ref, value);
      if (value === String(body[`was:${ref}`] ?? '').trim()) continue; // unchanged cell
      // An emptied cell declares 0 h: the month's hours are corrected to nothing.
      const parsed = cellSchema.safeParse(value === '' ? '0' : value);
      if (!parsed.success) errs.set(ref, parsed.error.issues[0]?.message ?? 'Nombre d’heures invalide.');
      else cells.push({ contractRef: ref, centihours: parsed.data });
    }
    if (errs.size)
      return showGrid(ctx, req, res, actor, month, {
        typed,
        errors: errs,
        status: 422,
        summary: errors.gridRejected([...errs].map(([path, message]) => ({ path, message }))).message,
      });
    try {
      const { posted } = await saveMonthGrid(ctx, actor, month, cells);
      res.redirect(303, `/saisie?mois=${month}&ok=${posted ? 'enregistre' : 'rien'}&n=${posted}`);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'grid_rejected') throw e;
      for (const d of e.details) if (d.path) errs.set(d.path, d.message);
      await showGrid(ctx, req, res, actor, month, { typed, errors: errs, status: 422, summary: e.message });
    }
  });

  r.post('/saisie/cloture', form, csrfCheck, async (req, res) => {
    const actor = actorOf(req, 'admin', 'facilitator');
    const b = closeBody.safeParse(req.body ?? {});
    if (!b.success) throw errors.invalidInput('Mois ou structure invalide.');
    await closeMonth(ctx, actor, { month: b.data.mois, structure: b.data.structure || undefined });
    res.redirect(303, `/saisie?mois=${b.data.mois}&ok=clos`);
  });
  return r;
}
