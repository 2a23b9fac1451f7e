import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Actor } from '../accounts/actor.js';
import { assertWriter } from '../accounts/policy.js';
import { audit } from '../audit/audit.store.js';
import { nowIso } from '../context.js';
import { AppError } from '../core/errors.js';
import { dateField, eurosField, hoursField, refField, siretField } from '../core/fields.js';
import { saveMarche, type MarcheInput } from '../marches/marches.service.js';
import { ErrorList } from './compact.js';
import { inCentury, twoDigitYearDate } from '../lib/dates.js';
import { restoreSiretZeros } from '../lib/siret.js';
import type { CsvRow, ReadInfo, RowError } from './csv.js';
import { readRows, type TableSpec } from './read.js';
import {
  fileDigest,
  recordImport,
  Rollback,
  type ImportOutcome,
  type ImportResult,
  type ImportSource,
} from './imports.service.js';

// Marchés imports (docs/imports.md): one row per marché; a known marché is updated when the
// row changes it. Files are small (hundreds of rows), so rows are kept and each goes
// through saveMarche, the same rules as the API, inside one transaction.

export const MARCHES_COLUMNS = [
  'marche_ref',
  'cite_code',
  'title',
  'contractor_siret',
  'contractor_name',
  'amount_eur',
  'required_hours',
  'start_date',
  'end_date',
] as const;

export const MARCHES_SPEC: TableSpec = {
  required: MARCHES_COLUMNS,
  kinds: {
    contractor_siret: 'siret',
    amount_eur: 'decimal',
    required_hours: 'decimal',
    start_date: 'date',
    end_date: 'date',
  },
};

const rowSchema = z.object({
  marche_ref: refField,
  cite_code: z.string().min(1, 'Code de cité obligatoire.'),
  title: z.string().min(1, 'Intitulé obligatoire.').max(300, 'Intitulé trop long (300 caractères au plus).'),
  contractor_siret: siretField,
  contractor_name: z.string().max(200, 'Nom d’entreprise trop long (200 caractères au plus).'),
  amount_eur: eurosField,
  required_hours: hoursField(),
  start_date: dateField,
  end_date: dateField,
});

// Which column a rule of saveMarche speaks about.
/** The column a refused marché is reported on, from the error's code or what it is about. */
function columnOf(e: AppError): string {
  if (e.code === 'invalid_dates') return 'end_date';
  if (e.code === 'forbidden' || e.about === 'cite') return 'cite_code';
  if (e.about === 'contractor') return 'contractor_name';
  return 'marche_ref';
}

/** A marché's dates written dd/MM/yy (a re-saved spreadsheet) are of this century. */
function expandYear(v: string, count: () => void): string {
  const two = twoDigitYearDate(v);
  const iso = two ? inCentury(two, 20) : null;
  if (!iso) return v;
  count();
  return iso;
}

function parseRow(
  row: CsvRow,
  errors: ErrorList<RowError>,
  count: () => void,
): (MarcheInput & { line: number }) | null {
  const input: Record<string, string> = Object.fromEntries(MARCHES_COLUMNS.map((c) => [c, row.get(c).trim()]));
  input.contractor_siret = restoreSiretZeros(input.contractor_siret);
  let twoDigit = 0;
  input.start_date = expandYear(input.start_date, () => twoDigit++);
  input.end_date = expandYear(input.end_date, () => twoDigit++);
  const r = rowSchema.safeParse(input);
  if (!r.success) {
    for (const i of r.error.issues) errors.add({ line: row.line, column: String(i.path[0] ?? ''), message: i.message });
    return null;
  }
  const d = r.data;
  for (let i = 0; i < twoDigit; i++) count();
  return {
    line: row.line,
    ref: d.marche_ref,
    citeCode: d.cite_code,
    title: d.title,
    contractorSiret: d.contractor_siret,
    contractorName: d.contractor_name || null,
    amountCents: d.amount_eur,
    requiredCentihours: d.required_hours,
    startDate: d.start_date,
    endDate: d.end_date,
  };
}

export async function importMarches(
  ctx: AppContext,
  actor: Actor,
  source: ImportSource,
  { dryRun }: { dryRun: boolean },
): Promise<ImportOutcome> {
  assertWriter(actor);
  const errors = new ErrorList<RowError>();
  const inputs: Array<MarcheInput & { line: number }> = [];
  const digest = fileDigest(source);
  const firstLine = new Map<string, number>();
  let rows = 0;
  let twoDigitYears = 0;
  const info: ReadInfo = { format: 'csv', encoding: 'utf-8' };
  const fileErrors = await readRows(
    source.stream,
    MARCHES_SPEC,
    (row) => {
      rows++;
      const m = parseRow(row, errors, () => twoDigitYears++);
      if (!m) return;
      const seen = firstLine.get(m.ref);
      if (seen)
        return errors.add({
          line: row.line,
          column: 'marche_ref',
          message: `Le marché « ${m.ref} » figure déjà à la ligne ${seen} : une seule ligne par marché.`,
        });
      firstLine.set(m.ref, row.line);
      inputs.push(m);
    },
    digest.onChunk,
    info,
  );
  const file = digest.done();
  const result: ImportResult = {
    dryRun,
    rows,
    created: 0,
    updated: 0,
    unchanged: 0,
    ...info,
    twoDigitYears,
    errors: [],
  };
  const finish = async (importId?: number): Promise<ImportOutcome> => {
    const errorCount = fileErrors.length + errors.count;
    if (errorCount) Object.assign(result, { created: 0, updated: 0, unchanged: 0 }); // nothing was written
    result.errors = fileErrors.length ? fileErrors : [...errors.items].sort((a, b) => a.line - b.line);
    importId ??= await recordImport(ctx.db, ctx, actor, {
      kind: 'marches',
      source,
      file,
      result,
      errorCount,
      centihoursAdded: 0,
    });
    return { result, importId, errorCount };
  };
  if (fileErrors.length) return finish();

  source.onPhase?.('Vérification dans la base');
  try {
    const id = await ctx.db.transaction(async (trx) => {
      for (const m of inputs) {
        try {
          // saveMarche keeps the report rollups exact when a marché moves (cité, contractor).
          result[await saveMarche(trx, ctx, actor, m, { allowUpdate: true })]++;
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          errors.add({ line: m.line, column: columnOf(e), message: e.message });
        }
      }
      if (errors.count || dryRun) throw new Rollback();
      const importId = await recordImport(trx, ctx, actor, {
        kind: 'marches',
        source,
        file,
        result,
        errorCount: 0,
        centihoursAdded: 0,
      });
      await audit(trx, {
        at: nowIso(ctx),
        accountId: actor.id,
        action: 'import.apply',
        entity: 'import',
        ref: String(importId),
        details: { kind: 'marches', created: result.created, updated: result.updated, unchanged: result.unchanged },
      });
      return importId;
    });
    return finish(id);
  } catch (e) {
    if (e instanceof Rollback) return finish();
    throw e;
  }
}
