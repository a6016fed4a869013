import { londonDateOf } from '../shared/calendar';
import { DecisionContext, ProgrammeData } from '../shared/decider';
import { DomainError, FieldError } from '../shared/domain-error';
import { RegisterSchoolPartnership } from '../school/school.commands';
import { SchoolPartnershipRegistered } from '../school/school.events';
import {
  GrantSteplabAccess,
  MatchMentor,
  MentorFacts,
  RecordDataValidation,
  RegisterECT,
  RegisterInductionTutor,
  RegisterMentor,
  RegistrationInput,
  SchoolFacts,
  SubmitSteplabAccessForm,
} from '../participant/participant.commands';
import {
  DataValidationFailed,
  DataValidationPassed,
  ECTRegistered,
  InductionTutorRegistered,
  MentorMatched,
  MentorRegistered,
  ParticipantType,
  SteplabAccessFormSubmitted,
  SteplabAccessGranted,
} from '../participant/participant.events';
import { ClaimTrn, TrnClaimed } from '../trn-registry/trn-registry';
import { classifyValidationFailure } from '../participant/rules/data-validation';

/**
 * Shared fixtures for decider specifications: a fixed clock, fixed programme data and builders for
 * every command and event. Builders take overrides so a test states only what its rule is about.
 */

/** A copy of config/programme.json, fixed here so domain tests do not change when the config does. South-west is covered by nobody. */
export const PROGRAMME: ProgrammeData = {
  regions: [
    'north-east',
    'north-west',
    'yorkshire-and-the-humber',
    'east-midlands',
    'west-midlands',
    'east-of-england',
    'london',
    'south-east',
    'south-west',
  ],
  deliveryPartners: [
    { id: 'dp-north', name: 'Northern Teaching Partnership', regions: ['north-east', 'north-west', 'yorkshire-and-the-humber'] },
    { id: 'dp-midlands', name: 'Midlands Teaching School Hub', regions: ['east-midlands', 'west-midlands'] },
    { id: 'dp-london-se', name: 'London and South East Training Alliance', regions: ['london', 'south-east', 'east-of-england'] },
  ],
  programmeEvents: [
    { code: 'conference-1', kind: 'conference' },
    { code: 'conference-2', kind: 'conference' },
    { code: 'clinic-behaviour', kind: 'clinic' },
    { code: 'clinic-instruction', kind: 'clinic' },
  ],
  moduleCodes: {
    ect: ['ect-y1-m01', 'ect-y1-m02', 'ect-y1-m03', 'ect-y1-m04', 'ect-y1-m05', 'ect-y1-m06', 'ect-y2-m01'],
    mentor: ['mentor-y1-m01', 'mentor-y1-m02', 'mentor-y2-m01'],
  },
};

export const NOW = '2025-10-01T09:00:00.000Z';
export const TODAY = '2025-10-01';

/** The fixed decision context: 1 October 2025, 10:00 in London. */
export const ctx: DecisionContext = { now: NOW, today: TODAY, programme: PROGRAMME };

/** A context at another instant; `today` is that instant's Europe/London date. */
export const ctxAt = (now: string): DecisionContext => ({ now, today: londonDateOf(now), programme: PROGRAMME });

/** A context on another calendar date (10:00 London time in summer, 09:00 UTC). */
export const ctxOn = (today: string): DecisionContext => ({ now: `${today}T09:00:00.000Z`, today, programme: PROGRAMME });

export const COHORT = 2025;
export const SCHOOL_URN = '100001';
export const OTHER_SCHOOL_URN = '100002';
export const SCHOOL_NAME = 'Riverside Primary School';

export const ECT_ID = '0b6f3c0e-1a2b-4c3d-8e4f-000000000001';
export const MENTOR_ID = '0b6f3c0e-1a2b-4c3d-8e4f-000000000002';
export const OTHER_MENTOR_ID = '0b6f3c0e-1a2b-4c3d-8e4f-000000000003';
export const TUTOR_ID = '0b6f3c0e-1a2b-4c3d-8e4f-000000000004';
export const OTHER_ECT_ID = '0b6f3c0e-1a2b-4c3d-8e4f-000000000005';

export const ECT_TRN = '1234567';
export const MENTOR_TRN = '7654321';
export const TUTOR_TRN = '1112223';

// ---- school -------------------------------------------------------------------------------------

type PartnershipData = RegisterSchoolPartnership['data'];

const partnershipData = (overrides: Partial<PartnershipData> = {}): PartnershipData => ({
  urn: SCHOOL_URN,
  name: SCHOOL_NAME,
  region: 'north-west',
  deliveryPartnerId: 'dp-north',
  cohort: COHORT,
  ...overrides,
});

export const registerSchoolPartnership = (overrides: Partial<PartnershipData> = {}): RegisterSchoolPartnership => ({
  type: 'RegisterSchoolPartnership',
  data: partnershipData(overrides),
});

export const schoolPartnershipRegistered = (overrides: Partial<PartnershipData> = {}): SchoolPartnershipRegistered => ({
  type: 'SchoolPartnershipRegistered',
  data: partnershipData(overrides),
});

/** The partnered school as a registering handler would read it from its stream. */
export const partneredSchool = (overrides: Partial<SchoolFacts> = {}): SchoolFacts => ({
  urn: SCHOOL_URN,
  partnerships: { [COHORT]: 'dp-north' },
  ...overrides,
});

// ---- registration -------------------------------------------------------------------------------

const PEOPLE = {
  ect: { participantId: ECT_ID, firstName: 'Asha', lastName: 'Patel', dateOfBirth: '1998-04-12', trn: ECT_TRN, email: 'asha.patel@example.org' },
  mentor: { participantId: MENTOR_ID, firstName: 'Ben', lastName: 'Okafor', dateOfBirth: '1985-09-30', trn: MENTOR_TRN, email: 'ben.okafor@example.org' },
  'induction-tutor': {
    participantId: TUTOR_ID,
    firstName: 'Carys',
    lastName: 'Evans',
    dateOfBirth: '1979-01-05',
    trn: TUTOR_TRN,
    email: 'carys.evans@example.org',
  },
} as const;

export const registrationInput = (type: ParticipantType, overrides: Partial<RegistrationInput> = {}): RegistrationInput => ({
  ...PEOPLE[type],
  schoolUrn: SCHOOL_URN,
  cohort: COHORT,
  school: partneredSchool(),
  ...overrides,
});

export const registerECT = (overrides: Partial<RegistrationInput> = {}): RegisterECT => ({
  type: 'RegisterECT',
  data: registrationInput('ect', overrides),
});

export const registerMentor = (overrides: Partial<RegistrationInput> = {}): RegisterMentor => ({
  type: 'RegisterMentor',
  data: registrationInput('mentor', overrides),
});

export const registerInductionTutor = (overrides: Partial<RegistrationInput> = {}): RegisterInductionTutor => ({
  type: 'RegisterInductionTutor',
  data: registrationInput('induction-tutor', overrides),
});

type RegisteredData = ECTRegistered['data'];

/** The registration event the fixtures' command produces on the fixed date (1 October 2025 → September plan). */
const registeredData = (type: ParticipantType, overrides: Partial<RegisteredData>): RegisteredData => {
  const { participantId, firstName, lastName, dateOfBirth, trn, email } = PEOPLE[type];
  return {
    participantId,
    trn,
    schoolUrn: SCHOOL_URN,
    cohort: COHORT,
    registeredOn: TODAY,
    personal: { firstName, lastName, dateOfBirth, email },
    scheduleIdentifier: 'ecf-standard-september',
    contentStartDate: '2025-09-01',
    ...overrides,
  };
};

export const ectRegistered = (overrides: Partial<RegisteredData> = {}): ECTRegistered => ({
  type: 'ECTRegistered',
  data: registeredData('ect', overrides),
});

export const mentorRegistered = (overrides: Partial<RegisteredData> = {}): MentorRegistered => ({
  type: 'MentorRegistered',
  data: registeredData('mentor', overrides),
});

export const inductionTutorRegistered = (overrides: Partial<InductionTutorRegistered['data']> = {}): InductionTutorRegistered => {
  const { participantId, trn, schoolUrn, cohort, registeredOn, personal } = registeredData('induction-tutor', {});
  return { type: 'InductionTutorRegistered', data: { participantId, trn, schoolUrn, cohort, registeredOn, personal, ...overrides } };
};

// ---- data validation ----------------------------------------------------------------------------

export const recordValidation = (
  outcome: 'validated' | 'failed',
  reasons: string[] = [],
  participantId: string = ECT_ID,
): RecordDataValidation => ({ type: 'RecordDataValidation', data: { participantId, outcome, reasons } });

export const dataValidationPassed = (participantId: string = ECT_ID): DataValidationPassed => ({
  type: 'DataValidationPassed',
  data: { participantId },
});

export const dataValidationFailed = (reasons: string[], participantId: string = ECT_ID): DataValidationFailed => ({
  type: 'DataValidationFailed',
  data: { participantId, reasons: reasons.map((text) => ({ code: classifyValidationFailure(text), text })) },
});

// ---- mentor matching ----------------------------------------------------------------------------

/** What the handler reads from the proposed mentor's stream. */
export const mentorFacts = (overrides: Partial<MentorFacts> = {}): MentorFacts => ({
  participantId: MENTOR_ID,
  type: 'mentor',
  schoolUrn: SCHOOL_URN,
  status: 'active',
  ...overrides,
});

export const matchMentor = (mentor: MentorFacts | null = mentorFacts(), participantId: string = ECT_ID): MatchMentor => ({
  type: 'MatchMentor',
  data: { participantId, mentorId: mentor?.participantId ?? MENTOR_ID, mentor },
});

export const mentorMatched = (overrides: Partial<MentorMatched['data']> = {}): MentorMatched => ({
  type: 'MentorMatched',
  data: { participantId: ECT_ID, mentorId: MENTOR_ID, interim: false, previousMentorId: null, ...overrides },
});

// ---- Steplab access -----------------------------------------------------------------------------

export const submitSteplabAccessForm = (participantId: string = ECT_ID): SubmitSteplabAccessForm => ({
  type: 'SubmitSteplabAccessForm',
  data: { participantId },
});

export const grantSteplabAccess = (participantId: string = ECT_ID): GrantSteplabAccess => ({
  type: 'GrantSteplabAccess',
  data: { participantId },
});

export const steplabAccessFormSubmitted = (
  participantId: string = ECT_ID,
  submittedAt: string = NOW,
  accessDueBy = '2025-10-02T09:00:00Z',
): SteplabAccessFormSubmitted => ({ type: 'SteplabAccessFormSubmitted', data: { participantId, submittedAt, accessDueBy } });

export const steplabAccessGranted = (participantId: string = ECT_ID, grantedAt: string = NOW): SteplabAccessGranted => ({
  type: 'SteplabAccessGranted',
  data: { participantId, grantedAt },
});

// ---- TRN registry -------------------------------------------------------------------------------

export const claimTrn = (overrides: Partial<ClaimTrn['data']> = {}): ClaimTrn => ({
  type: 'ClaimTrn',
  data: { trn: ECT_TRN, participantId: ECT_ID, holderHoldsTrn: true, holderClaimedAt: '2025-09-01T09:00:00.000Z', ...overrides },
});

export const trnClaimed = (participantId: string = ECT_ID, trn: string = ECT_TRN): TrnClaimed => ({
  type: 'TrnClaimed',
  data: { trn, participantId },
});

// ---- assertions ---------------------------------------------------------------------------------

/** The rejection's field errors as [field, code] pairs, for asserting that every bad field is reported at once. */
export const fieldCodes = (error: DomainError): [string, string][] =>
  (error.details.fields ?? []).map((fieldError: FieldError) => [fieldError.field, fieldError.code]);
