import type { TestApp } from './app.js';
import { SIRET_A, SIRET_ETTI } from './fixtures.js';

// CSV files of docs/imports.md for import tests.

export const MARCHES_HEADER =
  'marche_ref;cite_code;title;contractor_siret;contractor_name;amount_eur;required_hours;start_date;end_date';
export const HOURS_HEADER =
  'marche_ref;contract_ref;participant_ref;birth_date;sex;categories;rsa_departement;employer_siret;contract_type;mode;contract_start;contract_end;month;hours';

export const marcheLine = (o: Partial<Record<string, string>> = {}) =>
  [
    o.ref ?? 'M-1',
    o.cite ?? 'cite-4-lens',
    o.title ?? 'Réhabilitation de 120 logements',
    o.siret ?? SIRET_A,
    o.name ?? 'BTP du Nord',
    o.amount ?? '1200000,00',
    o.required ?? '5000',
    o.start ?? '01/01/2024',
    o.end ?? '31/12/2025',
  ].join(';');

export const hoursLine = (o: Partial<Record<string, string>> = {}) =>
  [
    o.marche ?? 'M-1',
    o.contract ?? 'C-1',
    o.participant ?? 'P-1',
    o.birth ?? '10/05/1990',
    o.sex ?? 'F',
    o.categories ?? '',
    o.rsa ?? '',
    o.employer ?? SIRET_ETTI,
    o.type ?? 'CDD',
    o.mode ?? 'ETTI',
    o.start ?? '01/02/2024',
    o.end ?? '31/12/2024',
    o.month ?? '03/2024',
    o.hours ?? '151,67',
  ].join(';');

export const csv = (header: string, lines: string[], eol = '\n') => [header, ...lines].join(eol) + eol;

/** Posts a CSV body to an import endpoint. */
export function postCsv(
  t: TestApp,
  kind: 'marches' | 'hours',
  body: string | Buffer,
  o: { apply?: boolean; auth?: string; type?: string } = {},
) {
  return t.http
    .post(`/api/v1/imports/${kind}${o.apply ? '?dryRun=false' : ''}`)
    .set('Authorization', o.auth ?? t.admin)
    .set('Content-Type', o.type ?? 'text/csv')
    .send(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
}

/** Imports one marché M-1 (and any others given) for hours tests. */
export async function seedMarches(t: TestApp, lines: string[] = [marcheLine()]) {
  const r = await postCsv(t, 'marches', csv(MARCHES_HEADER, lines), { apply: true });
  if (r.status !== 200) throw new Error(`seedMarches: ${r.status} ${JSON.stringify(r.body)}`);
}
