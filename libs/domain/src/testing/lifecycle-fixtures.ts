import {
  ChangeSchool,
  DeferECT,
  DeferMentor,
  DeferralInput,
  PauseECT,
  RecordAttendance,
  RecordModuleAccess,
  ResumeECT,
  WithdrawalInput,
  WithdrawECT,
  WithdrawMentor,
} from '../participant/participant.commands';
import { ParticipantDeferred, ParticipantWithdrawn } from '../participant/participant.events';
import { dataValidationPassed, ECT_ID, ectRegistered, MENTOR_ID, mentorMatched, mentorRegistered } from './fixtures';

/** Builders for the lifecycle commands (seed 004); the fixed "today" is 2025-10-01, registration that day. */

export const activeECT = [ectRegistered(), dataValidationPassed(), mentorMatched()];
export const activeMentor = [mentorRegistered(), dataValidationPassed(MENTOR_ID)];

export const pauseECT = (overrides: Partial<PauseECT['data']> = {}): PauseECT => ({
  type: 'PauseECT',
  data: { participantId: ECT_ID, startDate: '2025-10-06', expectedResumeDate: '2025-11-03', reason: 'Short illness', ...overrides },
});

export const resumeECT = (resumeDate = '2025-11-03'): ResumeECT => ({ type: 'ResumeECT', data: { participantId: ECT_ID, resumeDate } });

const deferral = (overrides: Partial<DeferralInput>): DeferralInput => ({
  participantId: ECT_ID,
  deferralDate: '2025-10-01',
  expectedReturnDate: '2026-06-01',
  reason: 'parental-leave',
  byDpl: false,
  ...overrides,
});

export const deferECT = (overrides: Partial<DeferralInput> = {}): DeferECT => ({ type: 'DeferECT', data: deferral(overrides) });
export const deferMentor = (overrides: Partial<DeferralInput> = {}): DeferMentor => ({
  type: 'DeferMentor',
  data: deferral({ participantId: MENTOR_ID, ...overrides }),
});

export const participantDeferred = (overrides: Partial<ParticipantDeferred['data']> = {}): ParticipantDeferred => ({
  type: 'ParticipantDeferred',
  data: {
    participantId: ECT_ID,
    participantType: 'ect',
    deferralDate: '2025-10-01',
    expectedReturnDate: '2026-06-01',
    reason: 'parental-leave',
    exceptionReason: null,
    fromRegistration: false,
    cascadedFromEctId: null,
    ...overrides,
  },
});

const withdrawal = (overrides: Partial<WithdrawalInput>): WithdrawalInput => ({
  participantId: ECT_ID,
  withdrawalDate: '2025-10-01',
  reason: 'left-teaching-profession',
  byDpl: false,
  ...overrides,
});

export const withdrawECT = (overrides: Partial<WithdrawalInput> = {}): WithdrawECT => ({ type: 'WithdrawECT', data: withdrawal(overrides) });
export const withdrawMentor = (overrides: Partial<WithdrawalInput> = {}): WithdrawMentor => ({
  type: 'WithdrawMentor',
  data: withdrawal({ participantId: MENTOR_ID, ...overrides }),
});

export const participantWithdrawn = (overrides: Partial<ParticipantWithdrawn['data']> = {}): ParticipantWithdrawn => ({
  type: 'ParticipantWithdrawn',
  data: {
    participantId: ECT_ID,
    participantType: 'ect',
    withdrawalDate: '2025-10-01',
    reason: 'left-teaching-profession',
    retainMentor: false,
    mentorId: MENTOR_ID,
    cascadedFromEctId: null,
    ...overrides,
  },
});

export const changeSchool = (overrides: Partial<ChangeSchool['data']> = {}): ChangeSchool => ({
  type: 'ChangeSchool',
  data: { participantId: ECT_ID, newSchoolUrn: '200002', effectiveDate: '2025-10-01', newSchool: { urn: '200002', region: 'north-east' }, ...overrides },
});

export const recordModuleAccess = (moduleCode: string, accessedAt: string): RecordModuleAccess => ({
  type: 'RecordModuleAccess',
  data: { participantId: ECT_ID, moduleCode, accessedAt },
});

export const recordAttendance = (eventCode: string, attendedOn = '2025-10-01'): RecordAttendance => ({
  type: 'RecordAttendance',
  data: { participantId: ECT_ID, eventCode, attendedOn },
});
