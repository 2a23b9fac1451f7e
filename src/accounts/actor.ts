export const ROLES = ['admin', 'facilitator', 'contractor', 'departement'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrateur du programme',
  facilitator: 'Facilitateur de clauses',
  contractor: 'Entreprise attributaire',
  departement: 'Département',
};

/** The authenticated account behind a request. */
export interface Actor {
  id: number;
  name: string;
  role: Role;
  structureId: number | null;
  contractorSiren: string | null;
  contractorSiret: string | null;
  departementCode: string | null;
}

/** The columns of an account row an actor is made of. */
export interface ActorRow {
  id: number;
  name: string;
  role: Role;
  structure_id: number | null;
  contractor_siren: string | null;
  contractor_siret: string | null;
  departement_code: string | null;
}

export function actorFromRow(r: ActorRow): Actor {
  return {
    id: Number(r.id),
    name: r.name,
    role: r.role,
    structureId: r.structure_id ?? null,
    contractorSiren: r.contractor_siren ?? null,
    contractorSiret: r.contractor_siret ?? null,
    departementCode: r.departement_code ?? null,
  };
}
