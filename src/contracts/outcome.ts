// Exit outcomes of an insertion contract (sortie), recorded by the facilitator when known.
export const EXIT_OUTCOMES = ['CDI', 'CDD_6M_PLUS', 'FORMATION', 'AUCUNE'] as const;
export type ExitOutcome = (typeof EXIT_OUTCOMES)[number];

export const EXIT_OUTCOME_LABELS: Record<ExitOutcome | 'NON_RENSEIGNEE', string> = {
  CDI: 'Emploi durable : CDI',
  CDD_6M_PLUS: 'Emploi durable : CDD de 6 mois ou plus',
  FORMATION: 'Formation qualifiante',
  AUCUNE: 'Sans emploi ni formation',
  NON_RENSEIGNEE: 'Sortie non renseignée',
};
