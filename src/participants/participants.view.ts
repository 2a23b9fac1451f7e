import type { Actor } from '../accounts/actor.js';
import { canReadPeople } from '../accounts/policy.js';
import type { ParticipantJoinedRow, ParticipantRow } from './participants.store.js';

/** "L. M." from the names; null when none is known. Never more than the first letters. */
export const initials = (r: Pick<ParticipantRow, 'first_name' | 'last_name'>): string | null =>
  [r.first_name, r.last_name]
    .map((s) => (s?.trim() ? `${s.trim()[0]!.toUpperCase()}.` : ''))
    .join(' ')
    .trim() || null;

/** Admins and facilitators see the identity; others only the ref and initials. */
export function participantView(r: ParticipantJoinedRow, actor: Actor) {
  if (!canReadPeople(actor)) return { ref: r.ref, initials: initials(r) };
  return {
    ref: r.ref,
    firstName: r.first_name,
    lastName: r.last_name,
    birthDate: r.birth_date,
    sex: r.sex,
    structure: r.structure_code ?? null,
  };
}
export type ParticipantView = ReturnType<typeof participantView>;
