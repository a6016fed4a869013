/**
 * Reference data from DfE's lead-provider API and the seeds (SPEC §3). DTOs, deciders and event
 * schemas share these lists so a new code is added in one place.
 */

/** DfE's deferral reasons. */
export const DEFERRAL_REASONS = ['bereavement', 'long-term-sickness', 'parental-leave', 'career-break', 'other'] as const;
export type DeferralReason = (typeof DEFERRAL_REASONS)[number];

/**
 * DfE's withdrawal reasons plus the seed's own (`not-eligible`, `mentor-ineligible-previous-programme`,
 * `induction-tutor-role-ended`), which are reported to DfE as `other`.
 */
export const WITHDRAWAL_REASONS = [
  'left-teaching-profession',
  'moved-school',
  'mentor-no-longer-being-mentor',
  'switched-to-school-led',
  'other',
  'not-eligible',
  'mentor-ineligible-previous-programme',
  'induction-tutor-role-ended',
] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];

/** Withdrawal reasons that only make sense for one participant type. */
export const WITHDRAWAL_REASON_ONLY_FOR: Partial<Record<WithdrawalReason, 'mentor' | 'induction-tutor'>> = {
  'mentor-no-longer-being-mentor': 'mentor',
  'mentor-ineligible-previous-programme': 'mentor',
  'induction-tutor-role-ended': 'induction-tutor',
};

/** What the platform reports as engagement (SPEC §3 "Other"). */
export const ENGAGEMENT_KINDS = ['module-completed', 'coaching-session', 'clinic', 'conference', 'self-study'] as const;
export type EngagementKind = (typeof ENGAGEMENT_KINDS)[number];

/** Seed 004: an ECT's absence under this many weeks is a pause; longer is a deferral. */
export const PAUSE_LIMIT_WEEKS = 6;
/** Seed 004: a deferral's expected return is normally no later than this many months after the deferral date. */
export const DEFERRAL_LIMIT_MONTHS = 12;

/**
 * Why DfE's validation of a participant failed, as codes a report can count (DataValidationFailed v2).
 * Free-text reasons from before v2 are classified by `classifyValidationFailure`.
 */
export const VALIDATION_FAILURE_CODES = ['trn-date-of-birth-mismatch', 'trn-not-found', 'name-mismatch', 'not-eligible', 'other'] as const;
export type ValidationFailureCode = (typeof VALIDATION_FAILURE_CODES)[number];

/**
 * DfE's declaration types in the order they are declared: six for a standard two-year induction, and
 * the extension points extended schedules add (research: ecf-domain.md §2–3).
 */
export const DECLARATION_TYPES = ['started', 'retained-1', 'retained-2', 'retained-3', 'retained-4', 'completed', 'extended-1', 'extended-2', 'extended-3'] as const;
export type DeclarationType = (typeof DECLARATION_TYPES)[number];

/** DfE's course identifiers: an ECT's induction, a mentor's training. */
export type CourseIdentifier = 'ecf-induction' | 'ecf-mentor';

/** DfE's `evidence_held` values valid on every cohort's ECF declarations. */
export const EVIDENCE_HELD = ['training-event-attended', 'self-study-material-completed', 'other'] as const;
export type EvidenceHeld = (typeof EVIDENCE_HELD)[number];
