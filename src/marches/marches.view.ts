import { toHours } from '../lib/hours.js';
import type { MarcheJoinedRow } from './marches.store.js';

/** A marché as the API gives it (every role that may read it sees the same fields). */
export const marcheView = (r: MarcheJoinedRow) => ({
  ref: r.ref,
  cite: r.cite_code,
  title: r.title,
  contractor: { siret: r.contractor_siret, name: r.contractor_name },
  amountEur: Number(r.amount_cents) / 100,
  requiredHours: toHours(Number(r.required_centihours)),
  startDate: r.start_date,
  endDate: r.end_date,
});
export type MarcheView = ReturnType<typeof marcheView>;
