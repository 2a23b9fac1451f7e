import type { Actor } from '../accounts/actor.js';
import { canReadPeople } from '../accounts/policy.js';
import { initials } from '../participants/participants.view.js';
import type { ContractJoinedRow } from './contracts.store.js';

/**
 * A contract as each role may see it, decided here only. Admins and facilitators see the
 * frozen categories, the RSA Département and the exit outcome; anyone else (a contractor)
 * sees the participant as ref + initials and the contract's dates, type and mode: never
 * categories (RSA status is social data), birth dates or names.
 */
export function contractView(r: ContractJoinedRow, actor: Actor) {
  if (!canReadPeople(actor))
    return {
      ref: r.ref,
      participantRef: r.participant_ref,
      participantInitials: initials({ first_name: r.participant_first_name, last_name: r.participant_last_name }),
      marcheRef: r.marche_ref,
      employerSiret: r.employer_siret,
      contractType: r.contract_type,
      mode: r.mode,
      startDate: r.start_date,
      endDate: r.end_date,
    };
  return {
    ref: r.ref,
    participantRef: r.participant_ref,
    marcheRef: r.marche_ref,
    employerSiret: r.employer_siret,
    contractType: r.contract_type,
    mode: r.mode,
    startDate: r.start_date,
    endDate: r.end_date,
    categories: r.categories ? String(r.categories).split(',') : [],
    rsaDepartement: r.rsa_departement ?? null,
    exitOutcome: r.exit_outcome ?? null,
  };
}
export type ContractView = ReturnType<typeof contractView>;
