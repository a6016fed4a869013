import { TagColour } from './dom.js';

/** Business dates are England's calendar days; instants are shown in London time. */
const LONDON = 'Europe/London';

const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const INSTANT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: LONDON });

/** 2026-11-10 → 10 November 2026. */
export const formatDate = (date: string | null | undefined): string => (date ? DAY.format(new Date(`${date}T00:00:00Z`)) : '—');

/** An ISO instant → 23 Nov 2026, 21:26 (London). */
export const formatInstant = (instant: string | null | undefined): string => (instant ? INSTANT.format(new Date(instant)) : '—');

/** Today in England, as YYYY-MM-DD. */
export const londonToday = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: LONDON }).format(new Date());

/** The cohort (academic start year) a registration today most likely belongs to. */
export const currentCohort = (): number => {
  const [year, month] = londonToday().split('-').map(Number);
  return month >= 9 ? year : year - 1;
};

const ACRONYMS: Record<string, string> = { ect: 'ECT', ects: 'ECTs', dpl: 'DPL', dfe: 'DfE', trn: 'TRN', urn: 'URN', ecf: 'ECF', steplab: 'Steplab' };

/** A code as words: `left-teaching-profession` → "Left teaching profession", `ECTPaused` → "ECT paused". */
export function humanise(code: string): string {
  const words = code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((word) => ACRONYMS[word.toLowerCase()] ?? word.toLowerCase());
  const sentence = words.join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

const LABELS: Record<string, string> = {
  // participant types and roles
  'induction-tutor': 'Induction tutor',
  'ecf-lead': 'ECF Lead',
  dpl: 'DPL',
  system: 'System integration',
  // events, as a history reads
  ECTRegistered: 'Registered as an ECT',
  MentorRegistered: 'Registered as a mentor',
  InductionTutorRegistered: 'Registered as an induction tutor',
  DataValidationPassed: 'DfE validated their details',
  DataValidationFailed: 'DfE validation failed',
  MentorMatched: 'Matched with a mentor',
  SteplabAccessFormSubmitted: 'Steplab access form submitted',
  SteplabAccessGranted: 'Steplab access granted',
  SteplabAccessRevoked: 'Steplab access revoked',
  ECTPaused: 'Paused',
  ECTResumed: 'Resumed',
  ParticipantDeferred: 'Deferred',
  DeferralReturnDateUpdated: 'Expected return date changed',
  ReturnedFromDeferral: 'Returned from deferral',
  ParticipantWithdrawn: 'Withdrawn',
  WithdrawalReversalRequested: 'Reversal of the withdrawal requested',
  ParticipantReinstated: 'Reinstated',
  SchoolChanged: 'Moved school',
  ReleaseScheduleAmended: 'Release schedule amended',
  EngagementRecorded: 'Engagement recorded',
  ModuleAccessRecorded: 'Opened a module',
  AttendanceRecorded: 'Attendance recorded',
  PersonalDataErased: 'Personal details erased',
  // release schedule
  'released-at-resume': 'Released at resume',
  'not-released-withdrawn': 'Not released (withdrawn)',
  'held-by-pause': 'Held by a pause',
  'held-by-deferral': 'Held by a deferral',
  'moved-by-deferral': 'Moved by a deferral',
  // payment eligibility
  'window-not-open': 'Window not open yet',
  'window-open': 'Window open',
  'no-engagement-while-active': 'No engagement while active',
  'withdrawn-before-window': 'Withdrawn before the window',
  'withdrawn-before-engaging': 'Withdrawn before engaging in the window',
  'region-not-covered': 'School’s region not covered',
  'not-validated': 'Not validated by DfE',
  'no-started-declaration': 'No started declaration',
  // Steplab access
  'form-submitted': 'Form submitted, access due',
  'reinstatement-pending': 'Reinstated, access pending',
  // coaching blockers
  'not-matched': 'No mentor matched',
  'ect-form-not-submitted': 'ECT’s access form not submitted',
  'mentor-form-not-submitted': 'Mentor’s access form not submitted',
  'ect-access-not-granted': 'ECT’s access not granted',
  'mentor-access-not-granted': 'Mentor’s access not granted',
  'ect-not-active': 'ECT not active',
  'mentor-not-active': 'Mentor not active',
  // alerts
  'no-active-participants': 'School has no active ECTs or mentors',
  'no-induction-tutor': 'School has no validated induction tutor',
  'pause-over-6-weeks': 'Pause over 6 weeks',
  'steplab-access-overdue': 'Steplab access overdue',
  'ect-without-mentor': 'ECT without a mentor',
  'deferral-past-return-date': 'Deferral past its return date',
  'mentor-withdrawn-with-reinstated-ect': 'Mentor still withdrawn, their ECT reinstated',
};

/** The words for a code the API uses (status, reason, event type, blocker, alert kind). */
export const label = (code: string | null | undefined): string => (code ? (LABELS[code] ?? humanise(code)) : '—');

const COLOURS: Record<string, TagColour> = {
  active: 'green',
  released: 'green',
  eligible: 'green',
  'released-at-resume': 'blue',
  'awaiting-validation': 'yellow',
  'form-submitted': 'yellow',
  'window-open': 'yellow',
  paused: 'orange',
  held: 'orange',
  'reinstatement-pending': 'orange',
  deferred: 'purple',
  withdrawn: 'red',
  revoked: 'red',
  'not-eligible': 'red',
  'not-released-withdrawn': 'red',
};

/** The colour of a state's tag: green is good, red is stopped, the rest in between. */
export const colourOf = (state: string): TagColour => COLOURS[state] ?? 'grey';

export const shortId = (id: string): string => id.slice(0, 8);
