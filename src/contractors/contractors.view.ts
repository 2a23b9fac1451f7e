import type { ContractorRow } from './contractors.store.js';

/** A contractor as the API gives it. */
export const contractorView = (r: Pick<ContractorRow, 'siret' | 'siren' | 'name'>) => ({
  siret: r.siret,
  siren: r.siren,
  name: r.name,
});
export type ContractorView = ReturnType<typeof contractorView>;
