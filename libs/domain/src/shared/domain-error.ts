/**
 * Every rejection the domain can give, defined once. The kind decides the HTTP status (mapped once,
 * in the API); the code is the stable, machine-readable name clients rely on.
 */
export const ERROR_KINDS = {
  INVALID_INPUT: 'validation',
  TRN_ALREADY_REGISTERED: 'conflict',
  PARTICIPANT_ALREADY_REGISTERED: 'conflict',
  PARTICIPANT_NOT_FOUND: 'not-found',
  SCHOOL_NOT_FOUND: 'not-found',
  MENTOR_NOT_FOUND: 'not-found',
  SCHOOL_NOT_PARTNERED_FOR_COHORT: 'rule',
  PARTNERSHIP_ALREADY_EXISTS: 'conflict',
  DELIVERY_PARTNER_UNKNOWN: 'rule',
  REGION_NOT_COVERED: 'rule',
  DATA_ALREADY_VALIDATED: 'state',
  NOT_AN_ECT: 'rule',
  NOT_A_MENTOR: 'rule',
  MENTOR_AT_DIFFERENT_SCHOOL: 'rule',
  DATA_NOT_VALIDATED: 'state',
  STEPLAB_FORM_ALREADY_SUBMITTED: 'state',
  STEPLAB_FORM_NOT_SUBMITTED: 'state',
  STEPLAB_ACCESS_ALREADY_ACTIVE: 'state',
  NOT_AN_INDUCTION_TUTOR: 'rule',
  PAUSE_TOO_LONG: 'rule',
  ALREADY_PAUSED: 'state',
  NOT_PAUSED: 'state',
  ALREADY_DEFERRED: 'state',
  NOT_DEFERRED: 'state',
  RETURN_DATE_TOO_LATE: 'rule',
  EXCEPTION_NEEDS_DPL: 'permission',
  ALREADY_WITHDRAWN: 'state',
  NOT_WITHDRAWN: 'state',
  PARTICIPANT_WITHDRAWN: 'state',
  PARTICIPANT_DEFERRED: 'state',
  WITHDRAWAL_DATE_IN_FUTURE: 'rule',
  DATE_BEFORE_REGISTRATION: 'rule',
  REASON_NOT_FOR_PARTICIPANT_TYPE: 'rule',
  RETAIN_MENTOR_NEEDS_DPL: 'permission',
  REVERSAL_NOT_REQUESTED: 'state',
  REVERSAL_ALREADY_REQUESTED: 'state',
  SAME_SCHOOL: 'rule',
  DPL_AGREEMENT_REQUIRED: 'rule',
  CONFERENCE_OUT_OF_ORDER: 'rule',
  UNKNOWN_PROGRAMME_EVENT: 'rule',
  DATE_IN_FUTURE: 'rule',
} as const;

export type ErrorCode = keyof typeof ERROR_KINDS;
export type ErrorKind = (typeof ERROR_KINDS)[ErrorCode];

export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export interface DomainErrorDetails {
  /** The rule the rejection enforces, in words (SPEC §3). */
  readonly rule?: string;
  /** What the caller can do next. */
  readonly nextStep?: string;
  readonly fields?: readonly FieldError[];
  /** Identifiers that help the caller (e.g. the participant already holding a TRN). */
  readonly context?: Readonly<Record<string, string>>;
}

export class DomainError extends Error {
  readonly kind: ErrorKind;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.kind = ERROR_KINDS[code];
  }
}

export const invalidInput = (fields: readonly FieldError[]): DomainError =>
  new DomainError('INVALID_INPUT', 'The command has invalid fields.', { fields });
