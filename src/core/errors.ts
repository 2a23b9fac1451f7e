// The closed catalogue of the errors people can meet, with their French messages.
// Domain code (services, stores, imports, commands) throws these; the web layer maps them to
// HTTP statuses (src/http/error-handler.ts), the command line to exit codes (src/cli/main.ts).
// Nothing here knows about Express. Rules: docs/rules.md.

export interface ErrorDetail {
  path?: string;
  line?: number;
  column?: string;
  message: string;
}

/** Every code a caller may receive. Adding one means adding its entry in `errors` below. */
export type ErrorCode =
  | 'validation_failed'
  | 'invalid_json'
  | 'invalid_input'
  | 'invalid_encoding'
  | 'forbidden_character'
  | 'input_too_long'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'route_not_found'
  | 'duplicate_ref'
  | 'duplicate_email'
  | 'already_exists'
  | 'unknown_reference'
  | 'invalid_dates'
  | 'invalid_period'
  | 'invalid_birth_date'
  | 'invalid_rsa_departement'
  | 'month_outside_contract'
  | 'month_outside_marche'
  | 'negative_month_total'
  | 'month_total_too_high'
  | 'month_closed'
  | 'month_already_closed'
  | 'month_not_closed'
  | 'idempotency_key_required'
  | 'idempotency_key_reused'
  | 'no_change'
  | 'already_revoked'
  | 'self_disable'
  | 'account_disabled'
  | 'account_locked'
  | 'no_email'
  | 'import_rejected'
  | 'grid_rejected'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unsupported_encoding'
  | 'too_many_requests'
  | 'database_not_empty'
  | 'marche_dates_conflict'
  | 'categories_frozen'
  | 'internal_error';

/** What the caller may do about it, decided once per code; HTTP and the CLI read this. */
export type ErrorKind =
  | 'invalid' // 400
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'too_large' // 413
  | 'unsupported' // 415
  | 'unprocessable' // 422
  | 'locked' // 423
  | 'too_many' // 429
  | 'internal'; // 500

const KIND_OF: Record<ErrorCode, ErrorKind> = {
  validation_failed: 'invalid',
  invalid_json: 'invalid',
  invalid_input: 'invalid',
  invalid_encoding: 'invalid',
  forbidden_character: 'invalid',
  input_too_long: 'invalid',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  not_found: 'not_found',
  route_not_found: 'not_found',
  duplicate_ref: 'conflict',
  duplicate_email: 'conflict',
  already_exists: 'conflict',
  unknown_reference: 'unprocessable',
  invalid_dates: 'unprocessable',
  invalid_period: 'unprocessable',
  invalid_birth_date: 'unprocessable',
  invalid_rsa_departement: 'unprocessable',
  month_outside_contract: 'unprocessable',
  month_outside_marche: 'unprocessable',
  negative_month_total: 'unprocessable',
  month_total_too_high: 'unprocessable',
  month_closed: 'conflict',
  month_already_closed: 'conflict',
  month_not_closed: 'conflict',
  idempotency_key_required: 'invalid',
  idempotency_key_reused: 'conflict',
  no_change: 'unprocessable',
  already_revoked: 'conflict',
  self_disable: 'conflict',
  account_disabled: 'conflict',
  account_locked: 'locked',
  no_email: 'unprocessable',
  import_rejected: 'unprocessable',
  grid_rejected: 'unprocessable',
  payload_too_large: 'too_large',
  unsupported_media_type: 'unsupported',
  unsupported_encoding: 'unsupported',
  too_many_requests: 'too_many',
  database_not_empty: 'conflict',
  marche_dates_conflict: 'conflict',
  categories_frozen: 'conflict',
  internal_error: 'internal',
};

/** A known error: its code, its French sentence, and per-field or per-line details. */
export class AppError extends Error {
  readonly kind: ErrorKind;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** What the error is about, when one thing is (an unknown cité…): imports name the column. */
    readonly about?: Noun,
  ) {
    super(message);
    this.kind = KIND_OF[code];
  }
}

/** The things an error can be about, with their French article ("le marché", "la cité"). */
export const NOUNS = {
  cite: { the: 'la cité', a: 'Cité', fem: true },
  marche: { the: 'le marché', a: 'Marché', fem: false },
  contract: { the: 'le contrat', a: 'Contrat', fem: false },
  participant: { the: 'le participant', a: 'Participant', fem: false },
  contractor: { the: 'l’entreprise', a: 'Entreprise', fem: true },
  structure: { the: 'la structure', a: 'Structure', fem: true },
  epci: { the: 'l’EPCI', a: 'EPCI', fem: false },
  bailleur: { the: 'le bailleur', a: 'Bailleur', fem: false },
  programme: { the: 'le programme', a: 'Programme', fem: false },
  account: { the: 'le compte', a: 'Compte', fem: false },
  token: { the: 'le jeton', a: 'Jeton', fem: false },
  attestation: { the: 'l’attestation', a: 'Attestation', fem: true },
  departement: { the: 'le Département', a: 'Département', fem: false },
  entry: { the: 'la ligne du registre', a: 'Ligne du registre', fem: true },
  closedMonth: { the: 'le mois clos', a: 'Mois clos', fem: false },
  import: { the: 'l’import', a: 'Import', fem: false },
} as const;
export type Noun = keyof typeof NOUNS;

const unknownWord = (n: Noun) => (NOUNS[n].fem ? 'inconnue' : 'inconnu');
const foundWord = (n: Noun) => (NOUNS[n].fem ? 'introuvable' : 'introuvable');

// The catalogue. Each entry builds the one error of its case, with a specific message.
export const errors = {
  validation: (details: ErrorDetail[]) =>
    new AppError('validation_failed', 'Les données envoyées ne sont pas valides.', details),
  invalidInput: (message: string) => new AppError('invalid_input', message),
  /** `where` names the part of the request ("le chemin", "le paramètre « from »"), never its content. */
  badPercentEncoding: (where: string) =>
    new AppError('invalid_encoding', `Requête invalide : encodage « % » incorrect dans ${where}.`),
  forbiddenCharacter: (where: string) =>
    new AppError(
      'forbidden_character',
      `Requête invalide : ${where} contient un caractère interdit (caractère nul ou caractère Unicode incomplet).`,
    ),
  inputTooLong: (where: string, max: number) =>
    new AppError('input_too_long', `Requête invalide : ${where} dépasse ${max} caractères.`),
  badJson: () => new AppError('invalid_json', 'Le corps de la requête n’est pas un JSON valide.'),
  unauthenticated: () =>
    new AppError('unauthenticated', 'Authentification requise : jeton absent, invalide ou révoqué.'),
  /** `what` is a phrase with its article: "le rapport RSA", "les participants", "cette opération". */
  forbidden: (what = 'cette ressource') => new AppError('forbidden', `Vous n’avez pas accès ${withA(what)}.`),
  /** Names the object only when the caller may know it exists (never an object of another scope). */
  notFound: (noun: Noun, id?: string | number) =>
    new AppError(
      'not_found',
      id === undefined ? `${NOUNS[noun].a} ${foundWord(noun)}.` : `${NOUNS[noun].a} « ${id} » ${foundWord(noun)}.`,
    ),
  routeNotFound: (method: string, path: string) =>
    new AppError('route_not_found', `Aucune ressource ne correspond à ${method} ${path}.`),
  duplicate: (noun: Noun, id: string) => new AppError('duplicate_ref', `${NOUNS[noun].a} « ${id} » existe déjà.`),
  duplicateEmail: (email: string) => new AppError('duplicate_email', `Un compte utilise déjà l’adresse « ${email} ».`),
  /** A unique constraint the service did not foresee: still a 409, never a 500. */
  alreadyExists: () => new AppError('already_exists', 'Cet enregistrement existe déjà.'),
  unknown: (noun: Noun, id: string, hint = '') =>
    new AppError(
      'unknown_reference',
      `${NOUNS[noun].a} « ${id} » ${unknownWord(noun)}.${hint ? ` ${hint}` : ''}`,
      [],
      noun,
    ),
  invalidDates: (noun: Noun) =>
    new AppError('invalid_dates', `La date de fin ${ofThe(noun)} précède sa date de début.`),
  invalidPeriod: () => new AppError('invalid_period', 'Le mois de début de la période suit son mois de fin.'),
  birthDateInFuture: () => new AppError('invalid_birth_date', 'La date de naissance est dans le futur.'),
  invalidRsaDepartement: (message: string) => new AppError('invalid_rsa_departement', message),
  /** A rule of the ledger (docs/rules.md): month in dates, 0 to 235 h, closed months. */
  ledgerRule: (code: LedgerRuleCode, message: string) => new AppError(code, message),
  monthAlreadyClosed: (month: string, structure: string) =>
    new AppError('month_already_closed', `Le mois ${month} est déjà clos pour ${structure}.`),
  monthNotClosed: (month: string, structure: string) =>
    new AppError('month_not_closed', `Le mois ${month} n’est pas clos pour ${structure}.`),
  idempotencyKeyRequired: () =>
    new AppError(
      'idempotency_key_required',
      'En-tête Idempotency-Key obligatoire : une clé unique par saisie évite de compter deux fois les mêmes heures.',
    ),
  idempotencyKeyReused: () =>
    new AppError('idempotency_key_reused', 'Cette clé d’idempotence a déjà servi pour une autre demande.'),
  noChange: () => new AppError('no_change', 'La correction ne change rien : la ligne vaut déjà ce nombre d’heures.'),
  alreadyRevoked: (number: string) => new AppError('already_revoked', `L’attestation ${number} est déjà révoquée.`),
  selfDisable: () => new AppError('self_disable', 'Vous ne pouvez pas désactiver votre propre compte.'),
  accountDisabled: () =>
    new AppError('account_disabled', 'Ce compte est désactivé : aucun jeton ne peut lui être délivré.'),
  accountLocked: (message: string) => new AppError('account_locked', message),
  noEmail: () => new AppError('no_email', 'Ce compte n’a pas d’adresse électronique pour se connecter.'),
  importRejected: (message: string, details: ErrorDetail[]) => new AppError('import_rejected', message, details),
  /** A month grid with bad cells: nothing saved; each detail's path is a contract ref. */
  gridRejected: (details: ErrorDetail[]) =>
    new AppError(
      'grid_rejected',
      `Rien n’a été enregistré : ${details.length > 1 ? `${details.length} cellules sont à corriger` : 'une cellule est à corriger'}.`,
      details,
    ),
  tooLarge: (hint = '') =>
    new AppError('payload_too_large', `Le corps de la requête est trop volumineux.${hint ? ` ${hint}` : ''}`),
  unsupportedMediaType: (message: string) => new AppError('unsupported_media_type', message),
  unsupportedEncoding: () => new AppError('unsupported_encoding', 'Encodage non pris en charge : envoyez de l’UTF-8.'),
  tooManyRequests: () => new AppError('too_many_requests', 'Trop de tentatives : réessayez dans quelques minutes.'),
  databaseNotEmpty: () =>
    new AppError('database_not_empty', 'La base de destination n’est pas vide : ajoutez --force pour l’écraser.'),
  /** An avenant whose new dates would leave contracts or hours outside the marché (each named). */
  marcheDatesConflict: (ref: string, reasons: string[]) =>
    new AppError(
      'marche_dates_conflict',
      `Les nouvelles dates du marché « ${ref} » laisseraient en dehors : ${reasons.join(' ; ')}.`,
      reasons.map((message) => ({ path: 'dates', message })),
    ),
  /** A birth date change that would change the categories frozen on started contracts. */
  categoriesFrozen: (ref: string, contracts: string[]) =>
    new AppError(
      'categories_frozen',
      `Cette date de naissance changerait les catégories (JEUNE/SENIOR) de contrats déjà commencés du participant « ${ref} » : ${contracts.join(', ')}. Les catégories sont figées au début du contrat.`,
    ),
  internal: () => new AppError('internal_error', 'Une erreur interne est survenue. Elle a été journalisée.'),
};

export type LedgerRuleCode =
  | 'month_outside_contract'
  | 'month_outside_marche'
  | 'negative_month_total'
  | 'month_total_too_high'
  | 'month_closed';

/** "à le rapport" -> "au rapport", "à les contrats" -> "aux contrats": French contractions. */
function withA(what: string): string {
  if (what.startsWith('le ')) return `au ${what.slice(3)}`;
  if (what.startsWith('les ')) return `aux ${what.slice(4)}`;
  return `à ${what}`;
}

/** "de le marché" -> "du marché", "de la cité", "de l’entreprise". */
function ofThe(noun: Noun): string {
  const the: string = NOUNS[noun].the;
  if (the.startsWith('le ')) return `du ${the.slice(3)}`;
  return `de ${the}`;
}

/** True for any error of the catalogue. */
export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
