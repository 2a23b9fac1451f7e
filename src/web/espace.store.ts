import type { Knex } from 'knex';
import type { Actor } from '../accounts/actor.js';
import { scopeMarches } from '../accounts/policy.js';

// SQL of « Mon espace »: the marchés an actor may read, with their realised hours.

export interface MarcheRealisedRow {
  ref: string;
  title: string;
  cite: string;
  required_centihours: number;
  centihours: number | null;
}

export async function marchesWithRealised(db: Knex, actor: Actor): Promise<MarcheRealisedRow[]> {
  const realised = db('contracts as c')
    .join('contract_months as cm', 'cm.contract_id', 'c.id')
    .groupBy('c.marche_id')
    .select('c.marche_id')
    .sum({ centihours: 'cm.centihours' })
    .as('r');
  const q = db('marches as m')
    .join('cites as ci', 'ci.id', 'm.cite_id')
    .leftJoin(realised, 'r.marche_id', 'm.id')
    .select('m.ref', 'm.title', 'ci.name as cite', 'm.required_centihours', 'r.centihours')
    .orderBy('m.ref');
  return scopeMarches(db, q, actor);
}
