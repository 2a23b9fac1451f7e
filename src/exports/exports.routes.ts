import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireActor } from '../http/auth.js';
import { parse } from '../core/validate.js';
import { monthField } from '../core/fields.js';
import { hoursRows, writeHoursCsv, writeHoursXlsx } from './hours.export.js';

const filter = z.object({
  from: monthField.optional(),
  to: monthField.optional(),
  marche: z.string().trim().min(1).optional(),
});

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function exportsRoutes(ctx: AppContext): Router {
  const r = Router();
  // The first row is read before the headers go out, so a refusal (403) is still JSON.
  const start = async (req: Parameters<Parameters<Router['get']>[1]>[0]) => {
    const rows = hoursRows(ctx, requireActor(req), parse(filter, req.query));
    const first = await rows.next();
    return (async function* () {
      if (!first.done) yield first.value;
      yield* rows;
    })();
  };
  r.get('/exports/hours.csv', async (req, res) => {
    const rows = await start(req);
    res.type('text/csv; charset=utf-8').attachment('heures.csv');
    await writeHoursCsv(rows, res);
  });
  r.get('/exports/hours.xlsx', async (req, res) => {
    const rows = await start(req);
    res.type(XLSX_TYPE).attachment('heures.xlsx');
    await writeHoursXlsx(rows, res);
  });
  return r;
}
