import type { StructureRow } from './structures.store.js';

export const STRUCTURE_KIND_LABELS: Record<string, string> = { plie: 'PLIE', regie: 'EPCI en régie' };

/** A structure as the API and the command line give it: its code is what accounts and imports name. */
export const structureView = (r: StructureRow, epcis: string[]) => ({
  code: r.code,
  name: r.name,
  kind: r.kind,
  epcis,
});
export type StructureView = ReturnType<typeof structureView>;
