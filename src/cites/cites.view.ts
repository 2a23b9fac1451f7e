import type { CiteRow } from './cites.store.js';

/** A cité as the API gives it (one shape for every role: reference data is public within the API). */
export const citeView = (r: CiteRow) => ({
  code: r.code,
  name: r.name,
  commune: r.commune,
  epci: r.epci_code,
  departement: r.departement_code,
  bailleur: r.bailleur_code ?? null,
});
export type CiteView = ReturnType<typeof citeView>;
