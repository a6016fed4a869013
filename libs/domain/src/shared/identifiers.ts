/** Formats of the identifiers the programme uses; DTOs and deciders share these definitions. */
export const TRN_PATTERN = /^\d{7}$/;
export const URN_PATTERN = /^\d{6}$/;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Deliberately simple: one @, no spaces, a dot in the domain. DfE's service does the real check by email. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const NAME_MAX_LENGTH = 100;
export const FIRST_COHORT = 2021;
/**
 * A participant's plausible age on the registration day (decision; the guidance sets none): an ECT holds
 * qualified teacher status, which follows a degree, and mentors and induction tutors are serving staff,
 * so nobody in the programme is a minor; 100 still refuses a mistyped century. A date of birth of today,
 * or of this year, is a slip of the keyboard, not a teacher.
 */
export const YOUNGEST_AGE = 18;
export const OLDEST_AGE = 100;

export const isTrn = (value: unknown): value is string => typeof value === 'string' && TRN_PATTERN.test(value);
export const isUrn = (value: unknown): value is string => typeof value === 'string' && URN_PATTERN.test(value);
export const isEmail = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 254 && EMAIL_PATTERN.test(value);
export const isName = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0 && value.length <= NAME_MAX_LENGTH;
