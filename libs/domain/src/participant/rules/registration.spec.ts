import { RegisterParticipant, RegistrationInput } from '../participant.commands';
import { participantDecider } from '../participant.decider';
import { deciderSpecification } from '../../testing/decider-specification';
import {
  COHORT,
  ctx,
  ctxOn,
  ECT_ID,
  ectRegistered,
  fieldCodes,
  inductionTutorRegistered,
  mentorRegistered,
  partneredSchool,
  registerECT,
  registerInductionTutor,
  registerMentor,
  SCHOOL_URN,
} from '../../testing/fixtures';

const participant = deciderSpecification(participantDecider, ctx);

/** The three registration commands, so rules common to all of them are checked for each. */
const REGISTRATIONS = [
  { name: 'RegisterECT', command: registerECT },
  { name: 'RegisterMentor', command: registerMentor },
  { name: 'RegisterInductionTutor', command: registerInductionTutor },
] as const;

const rejectsField = (
  overrides: Partial<RegistrationInput>,
  field: string,
  code: string,
  command: (overrides: Partial<RegistrationInput>) => RegisterParticipant = registerECT,
) =>
  participant
    .given([])
    .when(command(overrides))
    .thenRejects('INVALID_INPUT', (error) => expect(fieldCodes(error)).toEqual([[field, code]]));

describe('Participant registration (RegisterECT, RegisterMentor, RegisterInductionTutor)', () => {
  describe('Rule: a participant registered at a partnered school awaits DfE validation', () => {
    it('registers an ECT on the default release plan', () => participant.given([]).when(registerECT()).then([ectRegistered()]));

    it('registers a mentor on the default release plan', () => participant.given([]).when(registerMentor()).then([mentorRegistered()]));

    it('registers an induction tutor, who has no release plan', () =>
      participant.given([]).when(registerInductionTutor()).then([inductionTutorRegistered()]));

    it('leaves the participant awaiting validation', () => {
      const state = participantDecider.evolve(participantDecider.initialState(), ectRegistered());
      expect(state).toMatchObject({ registered: true, type: 'ect', status: 'awaiting-validation', validation: { outcome: 'awaiting', reasons: [] } });
    });

    it('records the registration date as today in London', () =>
      participant
        .given([])
        .when(registerECT())
        .then([ectRegistered({ registeredOn: ctx.today })]));
  });

  describe('Rule: personal data is kept apart from the rest of the event', () => {
    it('carries names, date of birth and email only inside `personal`', () => {
      const decision = participantDecider.decide(registerECT(), participantDecider.initialState(), ctx);
      if (!Array.isArray(decision)) throw decision;
      const [event] = decision;
      expect(event.data).toEqual({
        participantId: ECT_ID,
        trn: '1234567',
        schoolUrn: SCHOOL_URN,
        cohort: COHORT,
        registeredOn: '2025-10-01',
        scheduleIdentifier: 'ecf-standard-september',
        contentStartDate: '2025-09-01',
        personal: { firstName: 'Asha', lastName: 'Patel', dateOfBirth: '1998-04-12', email: 'asha.patel@example.org' },
      });
    });

    it('records names and email without surrounding whitespace', () =>
      participant
        .given([])
        .when(registerECT({ firstName: '  Asha ', lastName: ' Patel  ' }))
        .then([ectRegistered()]));
  });

  describe('Rule: a TRN is exactly 7 digits, required for ECTs and mentors', () => {
    it('rejects a TRN that is not exactly 7 digits', () => {
      rejectsField({ trn: '123456' }, 'trn', 'INVALID_TRN');
      rejectsField({ trn: '12345678' }, 'trn', 'INVALID_TRN');
      rejectsField({ trn: '12345a7' }, 'trn', 'INVALID_TRN');
      rejectsField({ trn: ' 1234567' }, 'trn', 'INVALID_TRN');
    });

    it('rejects an ECT without a TRN', () => {
      rejectsField({ trn: undefined }, 'trn', 'INVALID_TRN', registerECT);
      rejectsField({ trn: null }, 'trn', 'INVALID_TRN', registerECT);
    });

    it('rejects a mentor without a TRN', () => {
      rejectsField({ trn: undefined }, 'trn', 'INVALID_TRN', registerMentor);
      rejectsField({ trn: null }, 'trn', 'INVALID_TRN', registerMentor);
    });

    it('registers an induction tutor without a TRN, recording it as null', () => {
      participant.given([]).when(registerInductionTutor({ trn: undefined })).then([inductionTutorRegistered({ trn: null })]);
      participant.given([]).when(registerInductionTutor({ trn: null })).then([inductionTutorRegistered({ trn: null })]);
    });

    it('validates an induction tutor’s TRN when one is given', () => {
      rejectsField({ trn: '123456' }, 'trn', 'INVALID_TRN', registerInductionTutor);
      rejectsField({ trn: '' }, 'trn', 'INVALID_TRN', registerInductionTutor);
    });
  });

  describe('Rule: the school URN is exactly 6 digits', () => {
    it.each(REGISTRATIONS)('$name rejects a URN that is not exactly 6 digits', ({ command }) => {
      rejectsField({ schoolUrn: '12345' }, 'schoolUrn', 'INVALID_URN', command);
      rejectsField({ schoolUrn: '1234567' }, 'schoolUrn', 'INVALID_URN', command);
      rejectsField({ schoolUrn: 'ABCDEF' }, 'schoolUrn', 'INVALID_URN', command);
    });
  });

  describe('Rule: the date of birth is a real date, not in the future', () => {
    it('rejects 30 February (2025-02-30)', () => rejectsField({ dateOfBirth: '2025-02-30' }, 'dateOfBirth', 'INVALID_DATE'));

    it('rejects a thirteenth month (2025-13-01)', () => rejectsField({ dateOfBirth: '2025-13-01' }, 'dateOfBirth', 'INVALID_DATE'));

    it('rejects a date not written YYYY-MM-DD', () => {
      rejectsField({ dateOfBirth: '12/04/1998' }, 'dateOfBirth', 'INVALID_DATE');
      rejectsField({ dateOfBirth: '1998-4-12' }, 'dateOfBirth', 'INVALID_DATE');
    });

    it('rejects a missing date of birth with one error', () => {
      rejectsField({ dateOfBirth: '' }, 'dateOfBirth', 'INVALID_DATE');
      rejectsField({ dateOfBirth: undefined as unknown as string }, 'dateOfBirth', 'INVALID_DATE');
    });

    it('accepts 29 February in a leap year', () =>
      participant
        .given([])
        .when(registerECT({ dateOfBirth: '1996-02-29' }))
        .then([ectRegistered({ personal: { ...ectRegistered().data.personal!, dateOfBirth: '1996-02-29' } })]));

    it('rejects a date of birth in the future', () => rejectsField({ dateOfBirth: '2025-10-02' }, 'dateOfBirth', 'DATE_IN_FUTURE'));

  });

  describe('Rule: the participant is 18 to 100 years old on the registration day (a plausible teacher; the guidance asks for the date of birth, seed 000 step 2: "For each ECT and mentor, you will need … Date of birth")', () => {
    const registeredWith = (dateOfBirth: string) => [ectRegistered({ personal: { ...ectRegistered().data.personal!, dateOfBirth } })];

    it('rejects a date of birth of today', () => rejectsField({ dateOfBirth: '2025-10-01' }, 'dateOfBirth', 'AGE_OUT_OF_RANGE'));
    it('rejects a participant who turns 18 tomorrow', () => rejectsField({ dateOfBirth: '2007-10-02' }, 'dateOfBirth', 'AGE_OUT_OF_RANGE'));
    it('accepts a participant who turns 18 on the registration day', () => participant.given([]).when(registerECT({ dateOfBirth: '2007-10-01' })).then(registeredWith('2007-10-01')));
    it('accepts a participant of 100 (101 tomorrow)', () => participant.given([]).when(registerECT({ dateOfBirth: '1924-10-02' })).then(registeredWith('1924-10-02')));
    it('rejects a participant who turns 101 on the registration day', () => rejectsField({ dateOfBirth: '1924-10-01' }, 'dateOfBirth', 'AGE_OUT_OF_RANGE'));
    it('rejects a mistyped century (1899)', () => rejectsField({ dateOfBirth: '1899-12-31' }, 'dateOfBirth', 'AGE_OUT_OF_RANGE'));
    it.each(REGISTRATIONS)('$name applies the same range', ({ command }) => rejectsField({ dateOfBirth: '2015-06-01' }, 'dateOfBirth', 'AGE_OUT_OF_RANGE', command));
  });

  describe('Rule: first and last names are required', () => {
    it.each(REGISTRATIONS)('$name rejects a missing first or last name', ({ command }) => {
      rejectsField({ firstName: '' }, 'firstName', 'REQUIRED', command);
      rejectsField({ lastName: '' }, 'lastName', 'REQUIRED', command);
    });

    it('rejects names that are only whitespace', () => {
      rejectsField({ firstName: '   ' }, 'firstName', 'REQUIRED');
      rejectsField({ lastName: '\t ' }, 'lastName', 'REQUIRED');
    });

    it('rejects a name longer than 100 characters', () => rejectsField({ lastName: 'x'.repeat(101) }, 'lastName', 'REQUIRED'));
  });

  describe('Rule: the preferred email is an email address', () => {
    it('rejects an email address without an @ or a domain', () => {
      rejectsField({ email: 'asha.patel' }, 'email', 'INVALID_EMAIL');
      rejectsField({ email: 'asha@example' }, 'email', 'INVALID_EMAIL');
      rejectsField({ email: 'asha patel@example.org' }, 'email', 'INVALID_EMAIL');
      rejectsField({ email: '' }, 'email', 'INVALID_EMAIL');
    });
  });

  describe('Rule: the cohort is a programme year', () => {
    it('rejects a cohort outside 2021 to next year', () => {
      rejectsField({ cohort: 2020 }, 'cohort', 'INVALID_COHORT');
      rejectsField({ cohort: 2027 }, 'cohort', 'INVALID_COHORT');
    });
  });

  describe('Rule: every field error is reported at once', () => {
    it('reports all invalid fields of one command together', () =>
      participant
        .given([])
        .when(
          registerMentor({
            firstName: ' ',
            lastName: '',
            dateOfBirth: '2025-02-30',
            trn: '123',
            email: 'nope',
            schoolUrn: '1',
            cohort: 1990,
          }),
        )
        .thenRejects('INVALID_INPUT', (error) =>
          expect(fieldCodes(error)).toEqual([
            ['firstName', 'REQUIRED'],
            ['lastName', 'REQUIRED'],
            ['dateOfBirth', 'INVALID_DATE'],
            ['email', 'INVALID_EMAIL'],
            ['schoolUrn', 'INVALID_URN'],
            ['cohort', 'INVALID_COHORT'],
            ['trn', 'INVALID_TRN'],
          ]),
        ));

    it('checks the fields before the school', () =>
      participant
        .given([])
        .when(registerECT({ trn: '1', school: null }))
        .thenRejects('INVALID_INPUT'));
  });

  describe('Rule: participants are registered at a school partnered for their cohort', () => {
    it.each(REGISTRATIONS)('$name rejects a school that has no partnership with us', ({ command }) =>
      participant.given([]).when(command({ school: null })).thenRejects('SCHOOL_NOT_FOUND'),
    );

    it.each(REGISTRATIONS)('$name rejects a school with no delivery partner for the cohort', ({ command }) =>
      participant
        .given([])
        .when(command({ school: partneredSchool({ partnerships: { 2024: 'dp-north' } }) }))
        .thenRejects('SCHOOL_NOT_PARTNERED_FOR_COHORT', (error) => expect(error.details.nextStep).toMatch(/cohort 2025/)),
    );

    it('registers a participant for another cohort the school is partnered for', () =>
      participant
        .given([])
        .when(registerECT({ cohort: 2024, school: partneredSchool({ partnerships: { 2024: 'dp-north' } }) }))
        .then([ectRegistered({ cohort: 2024, scheduleIdentifier: 'ecf-standard-april', contentStartDate: '2025-10-01' })]));
  });

  describe('Rule: a participant is registered once', () => {
    it('rejects registering a registered participant again, naming them', () =>
      participant
        .given([ectRegistered()])
        .when(registerECT())
        .thenRejects('PARTICIPANT_ALREADY_REGISTERED', (error) => expect(error.details.context).toEqual({ participantId: ECT_ID })));

    it('rejects registering a registered ECT as a mentor', () =>
      participant.given([ectRegistered()]).when(registerMentor({ participantId: ECT_ID })).thenRejects('PARTICIPANT_ALREADY_REGISTERED'));
  });

  describe('Rule: a registration after 1 November waits for the next term (see content-start.spec.ts)', () => {
    it('puts an ECT registered on 2 November of the cohort year on the January schedule', () =>
      deciderSpecification(participantDecider, ctxOn('2025-11-02'))
        .given([])
        .when(registerECT())
        .then([ectRegistered({ registeredOn: '2025-11-02', scheduleIdentifier: 'ecf-standard-january', contentStartDate: '2026-01-01' })]));

    it('puts a mentor registered on 2 November of the cohort year on the January schedule', () =>
      deciderSpecification(participantDecider, ctxOn('2025-11-02'))
        .given([])
        .when(registerMentor())
        .then([mentorRegistered({ registeredOn: '2025-11-02', scheduleIdentifier: 'ecf-standard-january', contentStartDate: '2026-01-01' })]));
  });
});
