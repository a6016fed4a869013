import type { Catalogue } from './catalogue.js';
import { h } from './dom.js';
import { FieldSpec, Option, optionsOf } from './forms.js';
import { formatDate, label, londonToday } from './format.js';
import { displayName, Participant, ParticipantPage } from './model.js';
import type { Session } from './session.js';

/**
 * The commands staff issue on a participant, as forms. Each names the permission of the API's route
 * (the route itself comes from the OpenAPI document), the participants it makes sense for, and its
 * fields; the API decides whether it is allowed.
 */
export interface CommandSpec {
  readonly id: string;
  /** The button that opens the form. */
  readonly action: string;
  /** The permission (and so the route) for this participant; null when it does not apply to their type. */
  permission(participant: Participant): string | null;
  /** Whether it makes sense in the participant's current state (the API still has the last word). */
  appliesTo(participant: Participant): boolean;
  readonly explanation: readonly string[];
  fields(input: FieldInput): FieldSpec[] | Promise<FieldSpec[]>;
  /** Preview with ?dryRun=true before confirming, showing who else the command changes. */
  readonly preview: boolean;
  /** The confirmation button after a preview, or the submit button. */
  readonly confirm: string;
  /** Told on the participant's page afterwards. */
  readonly done: string;
}

export interface FieldInput {
  readonly participant: Participant;
  readonly session: Session;
  readonly catalogue: Catalogue;
  readonly permission: string;
}

const byType = (permissions: Partial<Record<Participant['type'], string>>) => (participant: Participant) => permissions[participant.type] ?? null;
const isDpl = (session: Session): boolean => session.caller.role === 'dpl';
const inState = (...statuses: string[]) => (participant: Participant) => statuses.includes(participant.status);

const date = (name: string, text: string, hint?: string | null, extra: Partial<FieldSpec> = {}): FieldSpec => ({ name, label: text, kind: 'date', hint: hint ?? null, width: 'short', ...extra });
const reasons = (input: FieldInput, text = 'Reason'): FieldSpec => ({
  name: 'reason',
  label: text,
  kind: 'select',
  placeholder: 'Choose a reason',
  options: optionsOf(input.catalogue.bodyField(input.permission, 'reason').options),
});
const hintOf = (input: FieldInput, field: string): string | null => input.catalogue.bodyField(input.permission, field).description;

const exceptionReason = (input: FieldInput): FieldSpec[] =>
  isDpl(input.session)
    ? [{ name: 'exceptionReason', label: 'Exception (DPL only)', kind: 'textarea', hint: 'Only for a return more than 12 months after the deferral: why it is allowed.' }]
    : [];

async function mentorOptions({ participant, session }: FieldInput): Promise<Option[]> {
  const list = (type: string) =>
    session.api.get<ParticipantPage>('/participants', { schoolUrn: participant.schoolUrn, cohort: participant.cohort, type, limit: 500 });
  const [mentors, tutors] = await Promise.all([list('mentor'), list('induction-tutor')]);
  const usable = (status: string) => status !== 'withdrawn';
  return [
    ...mentors.items.filter((item) => usable(item.status)).map((item) => ({ value: item.participantId, label: `${displayName(item)} (mentor${item.trn ? `, TRN ${item.trn}` : ''})` })),
    ...tutors.items.filter((item) => usable(item.status)).map((item) => ({ value: item.participantId, label: `${displayName(item)} (induction tutor, as interim mentor)` })),
  ];
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    id: 'match-mentor',
    action: 'Match a mentor',
    permission: byType({ ect: 'MatchMentor' }),
    appliesTo: (participant) => participant.status !== 'withdrawn',
    explanation: ['The mentor must be at the ECT’s school. The school’s induction tutor may stand in as an interim mentor.'],
    fields: async (input) => [
      { name: 'mentorId', label: 'Mentor', kind: 'select', placeholder: 'Choose a mentor', options: await mentorOptions(input), value: input.participant.mentor?.id },
    ],
    preview: false,
    confirm: 'Match mentor',
    done: 'Mentor matched.',
  },
  {
    id: 'pause',
    action: 'Pause',
    permission: byType({ ect: 'PauseECT' }),
    appliesTo: inState('active'),
    explanation: [
      'A pause is for a short absence of under 6 weeks. It holds back module release only: engagement, and so payment eligibility, continue.',
      'For a longer absence the ECF Lead defers the ECT instead. A mentor is not paused with their ECT.',
    ],
    fields: (input) => [
      date('startDate', 'First day of the absence', hintOf(input, 'startDate')),
      date('expectedResumeDate', 'Expected return', hintOf(input, 'expectedResumeDate')),
      { name: 'reason', label: 'Reason', kind: 'text', width: 'long' },
    ],
    preview: false,
    confirm: 'Pause',
    done: 'Paused. Modules planned during the pause will be released when the ECT resumes.',
  },
  {
    id: 'resume',
    action: 'Resume',
    permission: byType({ ect: 'ResumeECT' }),
    appliesTo: inState('paused'),
    explanation: ['Modules planned during the pause are released on the resume date, with no catch-up required. The ECT continues from the last module they opened before the pause.'],
    fields: () => [date('resumeDate', 'Resume date')],
    preview: false,
    confirm: 'Resume',
    done: 'Resumed.',
  },
  {
    id: 'defer',
    action: 'Defer',
    permission: byType({ ect: 'DeferECT', mentor: 'DeferMentor' }),
    appliesTo: inState('active', 'paused'),
    explanation: [
      'A deferral holds back all content until the participant returns. The expected return is normally no more than 12 months after the deferral; a longer one needs a DPL.',
      'Deferring an ECT also defers their mentor with the same return date, unless the mentor has another active ECT or is the induction tutor standing in. You will see who is affected before you confirm.',
    ],
    fields: (input) => [
      date('deferralDate', 'Deferral date'),
      date('expectedReturnDate', 'Expected return date', hintOf(input, 'expectedReturnDate')),
      reasons(input, 'Reason (DfE deferral reason)'),
      ...exceptionReason(input),
    ],
    preview: true,
    confirm: 'Confirm deferral',
    done: 'Deferred, with their mentor where the cascade applies.',
  },
  {
    id: 'update-return-date',
    action: 'Change return date',
    permission: (participant) => (participant.type === 'induction-tutor' ? null : 'UpdateDeferralReturnDate'),
    appliesTo: inState('deferred'),
    explanation: ['A change to an ECT’s expected return carries over to a mentor deferred with them.'],
    fields: (input) => [date('expectedReturnDate', 'New expected return date'), ...exceptionReason(input)],
    preview: true,
    confirm: 'Confirm new return date',
    done: 'Expected return date changed.',
  },
  {
    id: 'return',
    action: 'Record return',
    permission: (participant) => (participant.type === 'induction-tutor' ? null : 'ReturnFromDeferral'),
    appliesTo: inState('deferred'),
    explanation: ['The participant restarts; held content is released from the return date. An ECT’s return carries over to a mentor deferred with them.'],
    fields: () => [date('returnDate', 'Return date')],
    preview: true,
    confirm: 'Confirm return',
    done: 'Return recorded.',
  },
  {
    id: 'withdraw',
    action: 'Withdraw',
    permission: byType({ ect: 'WithdrawECT', mentor: 'WithdrawMentor', 'induction-tutor': 'WithdrawInductionTutor' }),
    appliesTo: (participant) => participant.status !== 'withdrawn',
    explanation: [
      'The withdrawal date is the day they left, and is never in the future: a withdrawal records what has already happened. It may be back-dated; the history keeps both the date and when it was recorded.',
      'Steplab access is revoked from that date and nothing planned from then is released. Withdrawing an ECT also withdraws their mentor, unless the mentor has another active ECT, is the induction tutor standing in, or a DPL keeps them.',
    ],
    fields: (input) => [
      date('withdrawalDate', 'Withdrawal date', `On or after the day they left, and not after today (${formatDate(londonToday())}).`),
      reasons(input, 'Reason (DfE withdrawal reason)'),
      ...(isDpl(input.session) && input.participant.type === 'ect'
        ? [{ name: 'retainMentor', label: 'Keep their mentor on the programme (DPL only)', kind: 'checkbox', hint: hintOf(input, 'retainMentor') } as const]
        : []),
    ],
    preview: true,
    confirm: 'Confirm withdrawal',
    done: 'Withdrawn. Steplab access is revoked from the withdrawal date.',
  },
  {
    id: 'request-reversal',
    action: 'Request reversal',
    permission: () => 'RequestWithdrawalReversal',
    appliesTo: (participant) => participant.status === 'withdrawn' && participant.withdrawal?.reversalRequested !== true,
    explanation: ['The ECF Lead asks the DPL to reverse the withdrawal, for example when it was recorded in error. Only a DPL reinstates.'],
    fields: () => [{ name: 'reason', label: 'Why the withdrawal should be reversed', kind: 'textarea' }],
    preview: false,
    confirm: 'Send request',
    done: 'Reversal requested. A DPL can now reinstate the participant.',
  },
  {
    id: 'reinstate',
    action: 'Reinstate',
    permission: () => 'ReinstateParticipant',
    appliesTo: (participant) => participant.status === 'withdrawn' && participant.withdrawal?.reversalRequested === true,
    explanation: ['Reverses the requested withdrawal. Steplab access becomes pending, not active, until it is granted again.'],
    fields: () => [],
    preview: false,
    confirm: 'Reinstate',
    done: 'Reinstated. Steplab access is pending until granted again.',
  },
  {
    id: 'change-school',
    action: 'Change school',
    permission: () => 'ChangeSchool',
    appliesTo: (participant) => participant.status !== 'withdrawn',
    explanation: ['The participant continues at another school. A move into a region the lead provider does not cover stops output payments from the move date.'],
    fields: (input) => [
      { name: 'newSchoolUrn', label: 'New school URN', kind: 'text', width: 'short', inputmode: 'numeric' },
      date('effectiveDate', 'Date of the move'),
      { name: 'newSchoolRegion', label: 'New school’s region (optional)', kind: 'text', width: 'medium', hint: hintOf(input, 'newSchoolRegion') },
    ],
    preview: false,
    confirm: 'Change school',
    done: 'School changed.',
  },
  {
    id: 'amend-schedule',
    action: 'Amend schedule',
    permission: byType({ ect: 'AmendReleaseSchedule', mentor: 'AmendReleaseSchedule' }),
    appliesTo: (participant) => participant.status !== 'withdrawn',
    explanation: ['Moves the date content starts, for example before the default January for a registration after 1 November. An ECF Lead agrees the change with their DPL first.'],
    fields: (input) => [
      date('contentStartDate', 'New content start date', null, { value: input.participant.contentStartDate ?? '' }),
      { name: 'reason', label: 'Reason', kind: 'text', width: 'long' },
      ...(isDpl(input.session) ? [] : [{ name: 'agreedWithDpl', label: 'DPL who agreed the change', kind: 'text', width: 'medium', hint: hintOf(input, 'agreedWithDpl') } as const]),
    ],
    preview: false,
    confirm: 'Amend schedule',
    done: 'Release schedule amended.',
  },
  {
    id: 'grant-steplab-access',
    action: 'Grant Steplab access',
    permission: () => 'GrantSteplabAccess',
    appliesTo: (participant) => ['form-submitted', 'reinstatement-pending'].includes(participant.steplab.status),
    explanation: ['Records that the participant has been given access to Steplab. Access is due within 24 hours of their access form.'],
    fields: () => [],
    preview: false,
    confirm: 'Grant access',
    done: 'Steplab access granted.',
  },
];

/** The commands the caller may issue on this participant now, in the order above. */
export function availableCommands(participant: Participant, session: Session): CommandSpec[] {
  return COMMANDS.filter((spec) => {
    const permission = spec.permission(participant);
    return permission !== null && session.may(permission) && spec.appliesTo(participant);
  });
}

/** Plain words for an event a command would write (the preview). */
export function describeChange(change: { type: string; data: Record<string, unknown> }): string {
  const data = change.data;
  const on = (field: string) => (typeof data[field] === 'string' ? formatDate(data[field] as string) : '');
  switch (change.type) {
    case 'ParticipantDeferred':
    case 'DeferMentor':
      return `deferred from ${on('deferralDate')}, expected back ${on('expectedReturnDate')} (${label(String(data.reason))})`;
    case 'DeferralReturnDateUpdated':
    case 'UpdateDeferralReturnDate':
      return `expected back ${on('expectedReturnDate')} instead`;
    case 'ReturnedFromDeferral':
    case 'ReturnFromDeferral':
      return `returns on ${on('returnDate')}`;
    case 'ParticipantWithdrawn':
    case 'WithdrawMentor':
      return `withdrawn from ${on('withdrawalDate')} (${label(String(data.reason))})`;
    case 'SteplabAccessRevoked':
      return `Steplab access revoked from ${on('revokedOn')}`;
    default:
      return label(change.type).toLowerCase();
  }
}

export const explanationOf = (spec: CommandSpec): Node[] => spec.explanation.map((text) => h('p', null, text));
