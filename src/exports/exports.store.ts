import type { Knex } from 'knex';
import type { Actor } from '../accounts/actor.js';
import { scopeMarches } from '../accounts/policy.js';

// SQL of the hours export: the contracts the actor may see, then their month totals.

/** A contract with what the export repeats on each of its rows. */
export interface ExportContractRow {
  id: number;
  ref: string;
  marche_ref: string;
  participant_ref: string;
  birth_date: string;
  sex: string;
  categories: string;
  rsa_departement: string | null;
  employer_siret: string;
  contract_type: string;
  mode: string;
  start_date: string;
  end_date: string;
}

export interface ExportMonthRow {
  contract_id: number;
  month: string;
  centihours: number;
}

/** Contracts in the actor's scope (optionally of one marché), ordered by ref. */
export async function exportContracts(db: Knex, actor: Actor, marche?: string): Promise<ExportContractRow[]> {
  const q = scopeMarches(
    db,
    db('contracts as c')
      .join('marches as m', 'm.id', 'c.marche_id')
      .join('participants as p', 'p.id', 'c.participant_id')
      .select(
        'c.id',
        'c.ref',
        'm.ref as marche_ref',
        'p.ref as participant_ref',
        'p.birth_date',
        'p.sex',
        'c.categories',
        'c.rsa_departement',
        'c.employer_siret',
        'c.contract_type',
        'c.mode',
        'c.start_date',
        'c.end_date',
      )
      .orderBy('c.ref'),
    actor,
  );
  if (marche) q.where('m.ref', marche);
  const rows: ExportContractRow[] = await q;
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** Month totals of some contracts within a period (bounds inclusive, optional). */
export async function exportMonths(
  db: Knex,
  contractIds: number[],
  period: { from?: string; to?: string },
): Promise<ExportMonthRow[]> {
  const q = db('contract_months').whereIn('contract_id', contractIds).select('contract_id', 'month', 'centihours');
  if (period.from) q.where('month', '>=', period.from);
  if (period.to) q.where('month', '<=', period.to);
  const rows: ExportMonthRow[] = await q;
  return rows.map((r) => ({ contract_id: Number(r.contract_id), month: r.month, centihours: Number(r.centihours) }));
}
