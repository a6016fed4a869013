import { PersonalDetails } from '../shared/message';
import { ParticipantEvent, ParticipantType } from './participant.events';

export type ParticipantStatus = 'awaiting-validation' | 'active';
export type SteplabAccessStatus = 'not-requested' | 'form-submitted' | 'active';

export interface ParticipantState {
  readonly registered: boolean;
  readonly participantId: string | null;
  readonly type: ParticipantType | null;
  readonly trn: string | null;
  readonly schoolUrn: string | null;
  readonly cohort: number | null;
  readonly registeredOn: string | null;
  readonly scheduleIdentifier: string | null;
  readonly contentStartDate: string | null;
  readonly personal: PersonalDetails | null;
  readonly status: ParticipantStatus;
  readonly validation: { readonly outcome: 'awaiting' | 'validated' | 'failed'; readonly reasons: readonly string[] };
  readonly mentor: { readonly id: string; readonly interim: boolean } | null;
  readonly steplab: {
    readonly status: SteplabAccessStatus;
    readonly formSubmittedAt: string | null;
    readonly accessDueBy: string | null;
    readonly grantedAt: string | null;
  };
}

export const initialParticipantState = (): ParticipantState => ({
  registered: false,
  participantId: null,
  type: null,
  trn: null,
  schoolUrn: null,
  cohort: null,
  registeredOn: null,
  scheduleIdentifier: null,
  contentStartDate: null,
  personal: null,
  status: 'awaiting-validation',
  validation: { outcome: 'awaiting', reasons: [] },
  mentor: null,
  steplab: { status: 'not-requested', formSubmittedAt: null, accessDueBy: null, grantedAt: null },
});

const TYPE_OF_REGISTRATION = {
  ECTRegistered: 'ect',
  MentorRegistered: 'mentor',
  InductionTutorRegistered: 'induction-tutor',
} as const;

export function evolveParticipant(state: ParticipantState, event: ParticipantEvent): ParticipantState {
  switch (event.type) {
    case 'ECTRegistered':
    case 'MentorRegistered':
    case 'InductionTutorRegistered': {
      const { participantId, trn, schoolUrn, cohort, registeredOn, personal } = event.data;
      const plan = 'scheduleIdentifier' in event.data ? event.data : null;
      return {
        ...state,
        registered: true,
        participantId,
        type: TYPE_OF_REGISTRATION[event.type],
        trn,
        schoolUrn,
        cohort,
        registeredOn,
        personal,
        scheduleIdentifier: plan?.scheduleIdentifier ?? null,
        contentStartDate: plan?.contentStartDate ?? null,
      };
    }
    case 'DataValidationPassed':
      return { ...state, status: 'active', validation: { outcome: 'validated', reasons: [] } };
    case 'DataValidationFailed':
      return { ...state, validation: { outcome: 'failed', reasons: event.data.reasons } };
    case 'MentorMatched':
      return { ...state, mentor: { id: event.data.mentorId, interim: event.data.interim } };
    case 'SteplabAccessFormSubmitted':
      return {
        ...state,
        steplab: { ...state.steplab, status: 'form-submitted', formSubmittedAt: event.data.submittedAt, accessDueBy: event.data.accessDueBy },
      };
    case 'SteplabAccessGranted':
      return { ...state, steplab: { ...state.steplab, status: 'active', grantedAt: event.data.grantedAt } };
  }
}
