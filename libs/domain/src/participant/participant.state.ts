import { PersonalDetails } from '../shared/message';
import { DeferralReason, ValidationFailureCode, WithdrawalReason } from '../shared/reference-data';
import { ParticipantEvent, ParticipantType } from './participant.events';

export type ParticipantStatus = 'awaiting-validation' | 'active' | 'paused' | 'deferred' | 'withdrawn';
export type SteplabAccessStatus = 'not-requested' | 'form-submitted' | 'active' | 'revoked' | 'reinstatement-pending';

export interface PauseState {
  readonly startDate: string;
  readonly expectedResumeDate: string;
}

export interface DeferralState {
  readonly deferralDate: string;
  readonly expectedReturnDate: string;
  readonly reason: DeferralReason;
  readonly fromRegistration: boolean;
  readonly cascadedFromEctId: string | null;
}

export interface WithdrawalState {
  readonly withdrawalDate: string;
  readonly reason: WithdrawalReason;
  readonly reversalRequested: boolean;
  readonly cascadedFromEctId: string | null;
}

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
  /** Derived from validation and the lifecycle below; kept for readers. */
  readonly status: ParticipantStatus;
  readonly validation: {
    readonly outcome: 'awaiting' | 'validated' | 'failed';
    readonly reasons: readonly string[];
    readonly reasonCodes: readonly ValidationFailureCode[];
  };
  readonly mentor: { readonly id: string; readonly interim: boolean } | null;
  readonly steplab: {
    readonly status: SteplabAccessStatus;
    readonly formSubmittedAt: string | null;
    readonly accessDueBy: string | null;
    readonly grantedAt: string | null;
  };
  readonly pause: PauseState | null;
  readonly deferral: DeferralState | null;
  readonly withdrawal: WithdrawalState | null;
  /** Every module access reported (instants), for "continue from the last module accessed before the pause". */
  readonly moduleAccesses: readonly { readonly moduleCode: string; readonly accessedAt: string }[];
  readonly conferencesAttended: readonly string[];
  /** The move date into a region the lead provider does not cover: no output payments from then. */
  readonly outputPaymentsStopOn: string | null;
  /** Set once the personal details were erased (they read as null from then on). */
  readonly personalDataErasedOn: string | null;
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
  validation: { outcome: 'awaiting', reasons: [], reasonCodes: [] },
  mentor: null,
  steplab: { status: 'not-requested', formSubmittedAt: null, accessDueBy: null, grantedAt: null },
  pause: null,
  deferral: null,
  withdrawal: null,
  moduleAccesses: [],
  conferencesAttended: [],
  outputPaymentsStopOn: null,
  personalDataErasedOn: null,
});

const TYPE_OF_REGISTRATION = {
  ECTRegistered: 'ect',
  MentorRegistered: 'mentor',
  InductionTutorRegistered: 'induction-tutor',
} as const;

function statusOf(state: ParticipantState): ParticipantStatus {
  if (state.withdrawal) return 'withdrawn';
  if (state.deferral) return 'deferred';
  if (state.pause) return 'paused';
  return state.validation.outcome === 'validated' ? 'active' : 'awaiting-validation';
}

export function evolveParticipant(state: ParticipantState, event: ParticipantEvent): ParticipantState {
  const next = applyEvent(state, event);
  return { ...next, status: statusOf(next) };
}

function applyEvent(state: ParticipantState, event: ParticipantEvent): ParticipantState {
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
      return { ...state, validation: { outcome: 'validated', reasons: [], reasonCodes: [] } };
    case 'DataValidationFailed':
      return {
        ...state,
        validation: { outcome: 'failed', reasons: event.data.reasons.map((reason) => reason.text), reasonCodes: event.data.reasons.map((reason) => reason.code) },
      };
    case 'MentorMatched':
      return { ...state, mentor: { id: event.data.mentorId, interim: event.data.interim } };
    case 'SteplabAccessFormSubmitted':
      return {
        ...state,
        steplab: { ...state.steplab, status: 'form-submitted', formSubmittedAt: event.data.submittedAt, accessDueBy: event.data.accessDueBy },
      };
    case 'SteplabAccessGranted':
      return { ...state, steplab: { ...state.steplab, status: 'active', grantedAt: event.data.grantedAt } };
    case 'ECTPaused':
      return { ...state, pause: { startDate: event.data.startDate, expectedResumeDate: event.data.expectedResumeDate } };
    case 'ECTResumed':
      return { ...state, pause: null };
    case 'ParticipantDeferred': {
      const { deferralDate, expectedReturnDate, reason, fromRegistration, cascadedFromEctId } = event.data;
      // A paused ECT who turns out to be away longer is deferred: the deferral replaces the pause.
      return { ...state, pause: null, deferral: { deferralDate, expectedReturnDate, reason, fromRegistration, cascadedFromEctId } };
    }
    case 'DeferralReturnDateUpdated':
      return state.deferral ? { ...state, deferral: { ...state.deferral, expectedReturnDate: event.data.expectedReturnDate } } : state;
    case 'ReturnedFromDeferral':
      return { ...state, deferral: null, contentStartDate: event.data.contentStartDate ?? state.contentStartDate };
    case 'ParticipantWithdrawn': {
      const { withdrawalDate, reason, cascadedFromEctId } = event.data;
      return { ...state, pause: null, deferral: null, withdrawal: { withdrawalDate, reason, reversalRequested: false, cascadedFromEctId } };
    }
    case 'SteplabAccessRevoked':
      return { ...state, steplab: { ...state.steplab, status: 'revoked' } };
    case 'WithdrawalReversalRequested':
      return state.withdrawal ? { ...state, withdrawal: { ...state.withdrawal, reversalRequested: true } } : state;
    case 'ParticipantReinstated': {
      // Access was removed at withdrawal; it stays pending until the back office restores it.
      const hadAccess = state.steplab.status === 'revoked';
      return { ...state, withdrawal: null, steplab: { ...state.steplab, status: hadAccess ? 'reinstatement-pending' : state.steplab.status } };
    }
    case 'SchoolChanged':
      return {
        ...state,
        schoolUrn: event.data.toSchoolUrn,
        mentor: event.data.endedMentorMatch ? null : state.mentor,
        outputPaymentsStopOn: event.data.regionCovered ? null : event.data.effectiveDate,
      };
    case 'ReleaseScheduleAmended':
      return { ...state, contentStartDate: event.data.contentStartDate };
    case 'EngagementRecorded':
      return state;
    case 'ModuleAccessRecorded':
      return { ...state, moduleAccesses: [...state.moduleAccesses, { moduleCode: event.data.moduleCode, accessedAt: event.data.accessedAt }] };
    case 'AttendanceRecorded':
      return event.data.eventKind === 'conference' ? { ...state, conferencesAttended: [...state.conferencesAttended, event.data.eventCode] } : state;
    case 'PersonalDataErased':
      return { ...state, personal: null, personalDataErasedOn: event.data.erasedOn };
  }
}
